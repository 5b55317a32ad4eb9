using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

/// <summary>
/// SPIKE (ML.NET scoring chain, see docs/design/mlnet-chain.md): a fixed 4 -> 5 -> C MLP (ReLU), its naive C#
/// forward pass, and its ONNX graphs for the three tasks, written with <see cref="OnnxGraphBuilder"/>.
/// </summary>
internal sealed class SpikeNetwork
{
    public const int InputSize = 4, HiddenSize = 5;

    private readonly float[] _w1, _b1, _w2, _b2;

    public SpikeNetwork(int outputs)
    {
        Outputs = outputs;
        _w1 = Fill(HiddenSize * InputSize, 0.9f, 0.3f);
        _b1 = Fill(HiddenSize, 0.2f, 1.1f);
        _w2 = Fill(outputs * HiddenSize, 1.3f, 2.3f);
        _b2 = Fill(outputs, 0.1f, 0.7f);
    }

    public int Outputs { get; }

    private static float[] Fill(int n, float scale, float phase) =>
        Enumerable.Range(0, n).Select(i => MathF.Sin(i * 1.37f + phase) * scale).ToArray();

    /// <summary>The logits of one example.</summary>
    public double[] Logits(float[] x)
    {
        var h = new double[HiddenSize];
        for (int o = 0; o < HiddenSize; o++)
        {
            double s = _b1[o];
            for (int i = 0; i < InputSize; i++) s += (double)_w1[o * InputSize + i] * x[i];
            h[o] = Math.Max(0, s);
        }
        var z = new double[Outputs];
        for (int o = 0; o < Outputs; o++)
        {
            z[o] = _b2[o];
            for (int i = 0; i < HiddenSize; i++) z[o] += _w2[o * HiddenSize + i] * h[i];
        }
        return z;
    }

    public static double[] Softmax(double[] z)
    {
        double m = z.Max();
        var e = z.Select(v => Math.Exp(v - m)).ToArray();
        double s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    /// <summary>The MLP up to the logits: input <paramref name="inputName"/> [N, 4] -> returns the logits value [N, C].</summary>
    private string EmitLogits(OnnxGraphBuilder g, string inputName)
    {
        string x = g.AddInput(inputName, [InputSize]);
        string h = g.Apply("Gemm", [x, g.AddInitializer("fc1_weight", _w1, [HiddenSize, InputSize]), g.AddInitializer("fc1_bias", _b1)], OnnxAttribute.Int("transB", 1));
        h = g.Apply("Relu", [h]);
        return g.Apply("Gemm", [h, g.AddInitializer("fc2_weight", _w2, [Outputs, HiddenSize]), g.AddInitializer("fc2_bias", _b2)], OnnxAttribute.Int("transB", 1));
    }

    /// <summary>
    /// Multiclass: outputs "output" logits [N, C], "Score" = softmax [N, C], "PredictedLabel" = labels[argmax] as
    /// string [N, 1]; plus a node named "mlnet.Score.SlotNames" so that OnnxTransformer puts the class names on Score.
    /// </summary>
    public OnnxGraphBuilder Multiclass(IReadOnlyList<string> labelsInKeyOrder, string inputName = "Features", bool slotNames = true)
    {
        var g = new OnnxGraphBuilder();
        string z = EmitLogits(g, inputName);
        g.AddNode("Identity", [z], ["output"]);
        g.AddOutput("output", [Outputs]);
        g.AddNode("Softmax", [z], ["Score"], [OnnxAttribute.Int("axis", -1)]);
        g.AddOutput("Score", [Outputs]);
        string index = g.Apply("ArgMax", [z], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));   // int64 [N, 1]
        string labels = g.AddStringInitializer("class_labels", labelsInKeyOrder);
        g.AddNode("Gather", [labels, index], ["PredictedLabel"], [OnnxAttribute.Int("axis", 0)]);                // string [N, 1]
        g.AddOutput("PredictedLabel", [1], OnnxElementType.String);
        if (slotNames)
        {
            // ML.NET's OnnxTransformer reads the "keys_strings" attribute of a node with this exact name and
            // publishes it as the SlotNames annotation of column "Score". The node must still be valid ONNX.
            g.ImportOpset("ai.onnx.ml", 2);
            g.AddNode("LabelEncoder", [labels], [g.UniqueName("unused_slot_names")],
                [OnnxAttribute.Strings("keys_strings", labelsInKeyOrder), OnnxAttribute.Ints("values_int64s", Enumerable.Range(0, labelsInKeyOrder.Count).Select(i => (long)i).ToArray()),
                 OnnxAttribute.Int("default_int64", -1)],
                name: "mlnet.Score.SlotNames", domain: "ai.onnx.ml");
        }
        return g;
    }

    /// <summary>Binary (C = 1): "Score" = logit [N, 1], "Probability" = sigmoid [N, 1], "PredictedLabel" = logit &gt; 0, bool [N, 1].</summary>
    public OnnxGraphBuilder Binary(string inputName = "Features")
    {
        var g = new OnnxGraphBuilder();
        string z = EmitLogits(g, inputName);
        g.AddNode("Identity", [z], ["Score"]);
        g.AddOutput("Score", [1]);
        g.AddNode("Sigmoid", [z], ["Probability"]);
        g.AddOutput("Probability", [1]);
        g.AddNode("Greater", [z, g.AddInitializer("zero", [0f], [])], ["PredictedLabel"]);
        g.AddOutput("PredictedLabel", [1], OnnxElementType.Bool);
        return g;
    }

    /// <summary>Regression (C = 1): "Score" [N, 1].</summary>
    public OnnxGraphBuilder Regression(string inputName = "Features")
    {
        var g = new OnnxGraphBuilder();
        string z = EmitLogits(g, inputName);
        g.AddNode("Identity", [z], ["Score"]);
        g.AddOutput("Score", [1]);
        return g;
    }

    /// <summary>A graph whose output "Score" is a rank-0 tensor (per row: OnnxTransformer feeds batches of one).</summary>
    public OnnxGraphBuilder RegressionWithScalarOutput()
    {
        var g = new OnnxGraphBuilder();
        string z = EmitLogits(g, "Features");
        g.AddNode("Reshape", [z, g.AddInt64Initializer("scalar_shape", ReadOnlySpan<long>.Empty, [0])], ["Score"]);
        g.AddOutput("Score", [], OnnxElementType.Float, batchDimension: null);
        return g;
    }
}
