using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>
/// Every layer, and networks built from them, exported with <see cref="OnnxExporter"/> and run by ONNX Runtime,
/// computes the same values as the engine's inference-mode forward (1e-5 relative + 1e-5 absolute), for batch
/// sizes 1, 7 and 256.
/// </summary>
[TestClass]
public sealed class LayerOnnxParityTests
{
    private const double Rel = 1e-5, Abs = 1e-5;
    private static readonly int[] BatchSizes = [1, 7, 256];

    // Values placed first in every input (as many as fit), then uniform values in [-range, range].
    private static readonly float[] Specials = [0f, -0f, 1e-4f, -1e-4f, 0.5f, -0.5f, 1f, -1f, 3f, -3f, 6f, -6f];

    [TestMethod]
    [DataRow("Sigmoid")]
    [DataRow("Tanh")]
    [DataRow("ReLU")]
    [DataRow("LeakyReLU")]
    [DataRow("LeakyReLU(0.2)")]
    [DataRow("ELU")]
    [DataRow("ELU(0.5)")]
    [DataRow("GELU")]
    [DataRow("GELU(tanh)")]
    [DataRow("SiLU")]
    [DataRow("Softmax")]
    [DataRow("LogSoftmax")]
    public void ActivationMatchesEngine(string kind)
    {
        Layer layer = kind switch
        {
            "Sigmoid" => new Sigmoid(),
            "Tanh" => new Tanh(),
            "ReLU" => new ReLU(),
            "LeakyReLU" => new LeakyReLU(),
            "LeakyReLU(0.2)" => new LeakyReLU(0.2f),
            "ELU" => new ELU(),
            "ELU(0.5)" => new ELU(0.5f),
            "GELU" => new GELU(),
            "GELU(tanh)" => new GELU(GeluApproximation.Tanh),
            "SiLU" => new SiLU(),
            "Softmax" => new Softmax(),
            "LogSoftmax" => new LogSoftmax(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        // (3, 5) per example: point-wise layers see a rank-3 tensor, Softmax/LogSoftmax work over the last axis only.
        AssertParity(layer, [3, 5], kind, range: 8f);
    }

    [TestMethod]
    [DataRow(1f, 20f)]
    [DataRow(2f, 1f)]
    [DataRow(0.5f, 5f)]
    [DataRow(3f, 2f)]
    [DataRow(1f, float.PositiveInfinity)]
    public void SoftplusMatchesEngineOnBothSidesOfTheThreshold(float beta, float threshold)
    {
        var layer = new Softplus(beta, threshold);
        // Range 30 puts beta·x above the threshold for many inputs; the threshold itself and its float neighbours
        // are placed in every input, where the engine switches between the smooth and the linear branch.
        float edge = float.IsFinite(threshold) ? threshold / beta : 25f;
        float[] extra = [edge, MathF.BitDecrement(edge), MathF.BitIncrement(edge), MathF.BitIncrement(MathF.BitIncrement(edge)), 25f, -25f];
        AssertParity(layer, [12], layer.Name, range: 30f, extra);
    }

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void LinearMatchesEngine(bool bias)
    {
        var layer = new Linear(6, 4, bias);
        layer.Initialize(new Rng(7));
        AssertParity(layer, [6], layer.Name, range: 2f);
    }

    [TestMethod]
    [DataRow(true, false, 1e-5)]
    [DataRow(true, true, 1e-5)]
    [DataRow(false, false, 1e-5)]
    [DataRow(false, true, 1e-3)]
    public void BatchNorm1dUsesRunningStatistics(bool affine, bool withLength, double eps)
    {
        var layer = new BatchNorm1d(4, eps: eps, affine: affine);
        if (affine)
            for (int c = 0; c < 4; c++)
            {
                layer.Weight!.Value[c] = 0.5f + 0.4f * c;
                layer.Bias!.Value[c] = 0.3f - 0.2f * c;
            }
        int[] row = withLength ? [4, 6] : [4];
        TrainStatistics(layer, row, steps: 4);
        layer.RunningMean.Span.ToArray().Should().NotContain(0f, "the running mean must be non-trivial");
        AssertParity(layer, row, layer.Name, range: 4f, shift: 1.5f);
    }

    [TestMethod]
    public void DropoutIsTheIdentity()
    {
        AssertParity(new Dropout(0.3f), [5], "Dropout", range: 3f);
    }

    [TestMethod]
    public void FlattenKeepsRowMajorOrder()
    {
        AssertParity(new Flatten(), [2, 3, 4], "Flatten", range: 3f);
    }

    [TestMethod]
    public void MlpWithBatchNormDropoutAndSoftmaxMatchesEngine()
    {
        var net = new Sequential(new Linear(10, 32), new BatchNorm1d(32), new ReLU(), new Dropout(0.2f), new Linear(32, 5), new Softmax());
        net.Initialize(new Rng(11));
        TrainStatistics(net, [10], steps: 3);
        AssertParity(net, [10], "Linear→BatchNorm1d→ReLU→Dropout→Linear→Softmax", range: 2f, shift: 0.5f);
    }

    [TestMethod]
    public void MlpWithGeluMatchesEngine()
    {
        var net = new Sequential(new Flatten(), new Linear(12, 16), new GELU(), new Linear(16, 16), new GELU(GeluApproximation.Tanh),
            new Dropout(0.1f), new Linear(16, 8), new SiLU(), new Linear(8, 3), new LogSoftmax());
        net.Initialize(new Rng(5));
        AssertParity(net, [3, 4], "Flatten→Linear→GELU→Linear→GELU(tanh)→Dropout→Linear→SiLU→Linear→LogSoftmax", range: 3f);
    }

    [TestMethod]
    public void MlpExportedAtOpset11MatchesEngine()
    {
        // Opset 11: Softmax's axis is written as a positive index (pre-13 semantics), Gemm without C is allowed.
        var net = new Sequential(new Linear(6, 8, bias: false), new BatchNorm1d(8), new ELU(), new Linear(8, 4), new Softplus(2f, 3f), new Softmax());
        net.Initialize(new Rng(3));
        TrainStatistics(net, [6], steps: 2);
        AssertParity(net, [6], "opset 11 MLP", range: 2f, options: new OnnxExportOptions { OpsetVersion = 11 });
    }

    /// <summary>Runs a few training-mode forwards so that BatchNorm running statistics move away from (0, 1).</summary>
    private static void TrainStatistics(Layer layer, int[] row, int steps)
    {
        var rng = new Rng(99);
        for (int s = 0; s < steps; s++)
            layer.Forward(TestTensors.Gaussian(rng, [16, .. row], std: 2.5, mean: 1.5), training: true);
    }

    private static void AssertParity(Layer layer, int[] row, string what, float range, float[]? extra = null,
        float shift = 0f, OnnxExportOptions? options = null)
    {
        byte[] model = OnnxExporter.ExportBytes(layer, row, options);
        int[] outRow = layer.GetOutputShape(row);
        using var session = new InferenceSession(model);
        var rng = new Rng(2024);
        foreach (int n in BatchSizes)
        {
            Tensor x = Input(rng, [n, .. row], range, shift, extra);
            float[] expected = layer.Forward(x, training: false).Span.ToArray();
            var (shape, actual) = Run(session, x);
            shape.Should().Equal([n, .. outRow.Select(d => (long)d)], $"{what}, batch {n}: output shape");
            TensorAssert.Close(actual, expected, Rel, Abs, $"{what}, batch {n}");
        }
    }

    private static Tensor Input(Rng rng, int[] shape, float range, float shift, float[]? extra)
    {
        var x = new Tensor(shape);
        Span<float> s = x.Span;
        for (int i = 0; i < s.Length; i++) s[i] = shift + (2f * rng.NextFloat() - 1f) * range;
        ReadOnlySpan<float> fixedValues = [.. extra ?? [], .. Specials];
        fixedValues[..Math.Min(fixedValues.Length, s.Length)].CopyTo(s);
        return x;
    }

    private static (long[] Shape, float[] Data) Run(InferenceSession session, Tensor x)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(x.Span.ToArray(), x.Shape.ToArray().Select(d => (long)d).ToArray());
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input"], [value], ["output"]);
        return (outputs[0].GetTensorTypeAndShape().Shape, outputs[0].GetTensorDataAsSpan<float>().ToArray());
    }
}
