using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Networks;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>
/// The image layers and the <see cref="ConvNets"/> presets, exported with <see cref="OnnxExporter"/> and run by ONNX
/// Runtime, compute the engine's inference-mode forward at batch sizes 1 and 64 within 1e-5 relative + 1e-5 absolute,
/// single layers and whole networks alike (also checked with the blocked GEMM, whose FMA rounding differs from the
/// placeholder's).
/// </summary>
[TestClass]
public sealed class ConvLayerOnnxParityTests
{
    private const double Rel = 1e-5, Abs = 1e-5;
    private static readonly int[] BatchSizes = [1, 64];

    [TestMethod]
    [DataRow(3, 4, 3, 1, 1, 1, 1, true)]
    [DataRow(3, 5, 5, 2, 2, 1, 1, true)]
    [DataRow(4, 6, 3, 1, 2, 2, 2, false)]
    [DataRow(4, 4, 3, 2, 1, 1, 4, true)]   // depthwise
    [DataRow(3, 8, 1, 1, 0, 1, 1, false)]  // pointwise
    [DataRow(2, 4, 1, 2, 0, 1, 1, true)]   // strided 1×1 (projection shortcut)
    public void Conv2dMatchesEngine(int cIn, int cOut, int k, int stride, int padding, int dilation, int groups, bool bias)
    {
        var conv = new Conv2d(cIn, cOut, k, stride, padding, dilation, groups, bias);
        conv.Initialize(new Rng(3));
        AssertParity(conv, [cIn, 9, 8], conv.Name);
    }

    [TestMethod]
    public void PointwiseConv2dOnLargePlanesMatchesEngine()
    {
        var conv = new Conv2d(4, 6, 1, groups: 2);   // 16×16 planes: each image multiplied in place
        conv.Initialize(new Rng(5));
        AssertParity(conv, [4, 16, 16], conv.Name);
    }

    [TestMethod]
    public void RectangularConv2dMatchesEngine()
    {
        var conv = new Conv2d(2, 3, (3, 2), stride: (1, 2), padding: (1, 0), dilation: (2, 1));
        conv.Initialize(new Rng(4));
        AssertParity(conv, [2, 7, 9], conv.Name);
    }

    [TestMethod]
    [DataRow(2, null, 0)]
    [DataRow(3, 2, 1)]
    [DataRow(3, 1, 1)]
    public void MaxPool2dMatchesEngine(int kernel, int? stride, int padding)
    {
        var pool = new MaxPool2d(kernel, stride, padding);
        AssertParity(pool, [3, 9, 8], pool.Name);
    }

    [TestMethod]
    [DataRow(2, null, 0, true)]
    [DataRow(3, 2, 1, true)]
    [DataRow(3, 2, 1, false)]
    [DataRow(3, 1, 1, false)]
    public void AvgPool2dMatchesEngine(int kernel, int? stride, int padding, bool countIncludePad)
    {
        var pool = new AvgPool2d(kernel, stride, padding, countIncludePad);
        AssertParity(pool, [3, 9, 8], pool.Name);
    }

    [TestMethod]
    public void GlobalAvgPool2dMatchesEngine() =>
        AssertParity(new GlobalAvgPool2d(), [5, 6, 7], "GlobalAvgPool2d");

    [TestMethod]
    [DataRow(true)]
    [DataRow(false)]
    public void BatchNorm2dUsesRunningStatistics(bool affine)
    {
        var bn = new BatchNorm2d(4, eps: 1e-3, affine: affine);
        if (affine)
            for (int c = 0; c < 4; c++)
            {
                bn.Weight!.Value[c] = 0.5f + 0.4f * c;
                bn.Bias!.Value[c] = 0.3f - 0.2f * c;
            }
        TrainStatistics(bn, [4, 5, 6]);
        bn.RunningMean.Span.ToArray().Should().NotContain(0f);
        AssertParity(bn, [4, 5, 6], bn.Name);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void ResidualBlockMatchesEngine(bool projection)
    {
        int cOut = projection ? 6 : 4, stride = projection ? 2 : 1;
        var branch = new Sequential(new Conv2d(4, cOut, 3, stride, 1, bias: false), new BatchNorm2d(cOut), new ReLU(),
            new Conv2d(cOut, cOut, 3, padding: 1, bias: false), new BatchNorm2d(cOut));
        var block = ResidualBlock.Create(branch, [4, 8, 8], new ReLU());
        block.Shortcut.Should().Match(s => (s != null) == projection);
        block.Initialize(new Rng(5));
        TrainStatistics(block, [4, 8, 8]);
        AssertParity(block, [4, 8, 8], block.Name);
    }

    [TestMethod]
    public void LeNet5MatchesEngine() =>
        AssertParity(ConvNets.LeNet5(), [1, 28, 28], "LeNet5", range: 1f, shift: 0.5f);

    [TestMethod]
    public void VggMatchesEngine()
    {
        var net = ConvNets.Vgg(3, 16, 16, 10, stageChannels: [16, 32], hiddenUnits: 64);
        TrainStatistics(net, [3, 16, 16]);
        AssertParity(net, [3, 16, 16], "Vgg");
    }

    [TestMethod]
    public void ResNetMatchesEngine()
    {
        var net = ConvNets.ResNet(3, 16, 16, 10, stageChannels: [8, 16, 32], blocksPerStage: 2);
        TrainStatistics(net, [3, 16, 16]);
        AssertParity(net, [3, 16, 16], "ResNet");
    }

    /// <summary>A few training-mode forwards so that BatchNorm running statistics move away from (0, 1).</summary>
    private static void TrainStatistics(Layer layer, int[] row)
    {
        var rng = new Rng(99);
        for (int s = 0; s < 3; s++)
            layer.Forward(TestTensors.Gaussian(rng, [8, .. row], std: 2.0, mean: 0.5), training: true);
    }

    private static void AssertParity(Layer layer, int[] row, string what, float range = 2f, float shift = 0f)
    {
        byte[] model = OnnxExporter.ExportBytes(layer, row);
        int[] outRow = layer.GetOutputShape(row);
        using var session = new InferenceSession(model);
        var rng = new Rng(2024);
        foreach (int n in BatchSizes)
        {
            var x = new Tensor([n, .. row]);
            Span<float> s = x.Span;
            for (int i = 0; i < s.Length; i++) s[i] = shift + (2f * rng.NextFloat() - 1f) * range;
            float[] expected = layer.Forward(x, training: false).Span.ToArray();
            using var value = OrtValue.CreateTensorValueFromMemory(x.Span.ToArray(), x.Shape.ToArray().Select(d => (long)d).ToArray());
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, ["input"], [value], ["output"]);
            outputs[0].GetTensorTypeAndShape().Shape.Should().Equal([n, .. outRow.Select(d => (long)d)], $"{what}, batch {n}: output shape");
            TensorAssert.Close(outputs[0].GetTensorDataAsSpan<float>(), expected, Rel, Abs, $"{what}, batch {n}");
        }
    }
}
