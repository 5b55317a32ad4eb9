using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>One MNIST image for ML.NET: 28×28 grey levels in [0, 1] declared as <c>(1, 28, 28)</c>, and its digit.</summary>
public sealed class MnistRow
{
    /// <summary>The pixels, row-major.</summary>
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];

    /// <summary>The class, 0..9.</summary>
    public uint Digit { get; set; }

    /// <summary>
    /// The first <paramref name="count"/> (all when null) images of the shipped MNIST subset's <paramref name="split"/>
    /// (<c>train</c>: 6,000; <c>t10k</c>: 1,000).
    /// </summary>
    public static List<MnistRow> Load(string split, int? count = null)
    {
        var images = IdxFile.Read(TestData.Path($"mnist/{split}-images-idx3-ubyte"));
        var labels = IdxFile.Read(TestData.Path($"mnist/{split}-labels-idx1-ubyte"));
        int n = Math.Min(count ?? int.MaxValue, images.Shape[0]);
        var rows = new List<MnistRow>(n);
        for (int i = 0; i < n; i++)
        {
            var features = new float[784];
            for (int p = 0; p < 784; p++) features[p] = images.Values[i * 784 + p] / 255f;
            rows.Add(new MnistRow { Features = features, Digit = labels.Values[i] });
        }
        return rows;
    }
}
