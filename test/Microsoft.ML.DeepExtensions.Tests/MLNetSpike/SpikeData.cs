using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

/// <summary>SPIKE: a row of the in-memory data sets (features plus the three kinds of label).</summary>
public sealed class SpikeRow
{
    /// <summary>The features, vector&lt;Single, 4&gt;.</summary>
    [VectorType(SpikeNetwork.InputSize)]
    public float[] Features { get; set; } = [];

    /// <summary>Multiclass label text.</summary>
    public string LabelText { get; set; } = "";

    /// <summary>Binary label.</summary>
    public bool BinaryLabel { get; set; }

    /// <summary>Regression target.</summary>
    public float Target { get; set; }
}

/// <summary>SPIKE: one label value, for MapValueToKey's keyData.</summary>
public sealed class KeyValueRow
{
    /// <summary>The label text.</summary>
    public string Value { get; set; } = "";
}

/// <summary>SPIKE: deterministic in-memory data labelled partly by the spike network itself (so metrics are non-trivial).</summary>
internal static class SpikeData
{
    /// <summary>The class names in the order of their first occurrence in the data (= the Label key order).</summary>
    public static readonly string[] KeyOrder = ["virginica", "setosa", "versicolor"];

    public static float[] Features(int i) =>
        Enumerable.Range(0, SpikeNetwork.InputSize).Select(j => MathF.Sin(i * 0.71f + j * 1.9f) * 2f + MathF.Cos(i * 0.37f * (j + 1))).ToArray();

    public static List<SpikeRow> Rows(int count = 60)
    {
        var multi = new SpikeNetwork(KeyOrder.Length);
        var single = new SpikeNetwork(1);
        var rows = new List<SpikeRow>();
        for (int i = 0; i < count; i++)
        {
            float[] x = Features(i);
            double[] z = multi.Logits(x);
            int cls = Array.IndexOf(z, z.Max());
            if (i % 4 == 3) cls = (cls + 1) % KeyOrder.Length;   // some mistakes
            if (i < KeyOrder.Length) cls = i;                     // fixes the key order: virginica, setosa, versicolor
            double s = single.Logits(x)[0];
            rows.Add(new SpikeRow
            {
                Features = x,
                LabelText = KeyOrder[cls],
                BinaryLabel = i % 5 == 2 ? s <= 0 : s > 0,
                Target = (float)(s + 0.3 * Math.Sin(i)),
            });
        }
        return rows;
    }
}
