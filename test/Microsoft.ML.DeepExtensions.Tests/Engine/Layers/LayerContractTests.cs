using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Networks;
using Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Activations;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

/// <summary>The <see cref="Layer"/> contract, checked for every layer of this folder and the convolutional presets.</summary>
[TestClass]
[DoNotParallelize] // changes Parallelism.MaxDegreeOfParallelism
public sealed class LayerContractTests
{
    private static readonly string[] Kinds =
    [
        "linear", "dropout", "batchnorm1d", "flatten", "sigmoid", "tanh", "relu", "leaky_relu_0.2", "elu_1.0",
        "gelu_erf", "gelu_tanh", "silu", "softplus", "softmax_lastdim", "log_softmax_lastdim",
        "conv2d", "conv2d_grouped_strided", "conv2d_pointwise", "conv2d_pointwise_direct", "conv2d_chunked", "maxpool2d", "maxpool2d_overlapping",
        "avgpool2d", "globalavgpool2d", "batchnorm2d", "residual_identity", "residual_projection", "lenet5", "vgg", "resnet",
    ];

    public static IEnumerable<object[]> AllLayers() => Kinds.Select(k => new object[] { k });

    private static (Layer Layer, int[] RowShape) Create(string kind) => kind switch
    {
        "linear" => (new Linear(13, 9), [13]),
        "dropout" => (new Dropout(0.3f), [13]),
        "batchnorm1d" => (new BatchNorm1d(13), [13]),
        "flatten" => (new Flatten(), [3, 5]),
        "conv2d" => (new Conv2d(3, 5, 3, padding: 1), [3, 9, 8]),
        "conv2d_grouped_strided" => (new Conv2d(4, 6, 3, stride: 2, padding: 2, dilation: 2, groups: 2), [4, 9, 8]),
        "conv2d_pointwise" => (new Conv2d(3, 4, 1, bias: false), [3, 5, 6]),
        "conv2d_pointwise_direct" => (new Conv2d(4, 6, 1, groups: 2), [4, 16, 16]),
        "conv2d_chunked" => (new Conv2d(3, 5, 3) { ColumnBudget = 27 * 42 * 3 }, [3, 8, 9]),
        "maxpool2d" => (new MaxPool2d(2), [3, 9, 8]),
        "maxpool2d_overlapping" => (new MaxPool2d(3, 2, 1), [3, 9, 8]),
        "avgpool2d" => (new AvgPool2d(3, 2, 1, countIncludePad: false), [3, 9, 8]),
        "globalavgpool2d" => (new GlobalAvgPool2d(), [3, 9, 8]),
        "batchnorm2d" => (new BatchNorm2d(3), [3, 9, 8]),
        "residual_identity" => (new ResidualBlock(new Sequential(new Conv2d(3, 3, 3, padding: 1), new BatchNorm2d(3), new ReLU(), new Conv2d(3, 3, 3, padding: 1)), activation: new ReLU()), [3, 6, 5]),
        "residual_projection" => (ResidualBlock.Create(new Sequential(new Conv2d(3, 4, 3, stride: 2, padding: 1), new ReLU()), [3, 6, 5], new ReLU()), [3, 6, 5]),
        "lenet5" => (ConvNets.LeNet5(), [1, 28, 28]),
        "vgg" => (ConvNets.Vgg(3, 8, 8, 4, stageChannels: [4, 8], hiddenUnits: 16), [3, 8, 8]),
        "resnet" => (ConvNets.ResNet(3, 8, 8, 4, stageChannels: [4, 8], blocksPerStage: 1), [3, 8, 8]),
        _ => (ActivationFixtureTests.Create(kind), [13]),
    };

    private static Tensor Input(int n, int[] rowShape, ulong seed) =>
        TestTensors.Uniform(new Rng(seed), [n, .. rowShape], 2f, 0.1f);

    [TestMethod]
    [DynamicData(nameof(AllLayers))]
    public void SteadyStateForwardAndBackwardAllocateNothing(string kind)
    {
        // As inside a network: input and upstream gradient resized in place between a batch of 16 and a partial batch of 5.
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 1; // multi-threaded loops may allocate a few task objects
            var (layer, row) = Create(kind);
            int[] outRow = layer.GetOutputShape(row);
            Tensor x = Input(16, row, 1), g = TestTensors.Uniform(new Rng(3), [16, .. outRow]);
            void Step(int n, bool training)
            {
                x.ResizeBatch(n, row);
                g.ResizeBatch(n, outRow);
                layer.Forward(x, training);
                if (training) layer.Backward(g);
            }
            for (int warm = 0; warm < 3; warm++) { Step(16, true); Step(5, true); Step(5, false); }
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 3; i++) { Step(16, true); Step(5, true); Step(16, false); }
            (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, $"{kind} must reuse its buffers once shapes are stable");
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    [DynamicData(nameof(AllLayers))]
    public void OutputShapeMatchesGetOutputShape(string kind)
    {
        var (layer, row) = Create(kind);
        Tensor y = layer.Forward(Input(3, row, 5), training: true);
        y.Shape.ToArray().Should().Equal([3, .. layer.GetOutputShape(row)]);
    }

    [TestMethod]
    [DynamicData(nameof(AllLayers))]
    public void BackwardReturnsNullWhenNoInputGradientIsRequested(string kind)
    {
        var (layer, row) = Create(kind);
        layer.ComputeInputGradient = false;
        Tensor y = layer.Forward(Input(3, row, 6), training: true);
        layer.Backward(TestTensors.Uniform(new Rng(7), y.Shape.ToArray())).Should().BeNull();
    }

    [TestMethod]
    [DynamicData(nameof(AllLayers))]
    public void BackwardBeforeForwardOrWithAWrongShapeThrows(string kind)
    {
        var (layer, row) = Create(kind);
        var early = () => layer.Backward(new Tensor([3, .. layer.GetOutputShape(row)]));
        early.Should().Throw<InvalidOperationException>().WithMessage("*before Forward*");
        Tensor y = layer.Forward(Input(3, row, 8), training: true);
        var wrong = () => layer.Backward(new Tensor(4, y.Length / 3 + 1));
        wrong.Should().Throw<ArgumentException>().WithMessage("*gradient shaped like its last output*");
    }

    [TestMethod]
    [DynamicData(nameof(AllLayers))]
    public void EmptyBatchGivesEmptyOutputAndZeroParameterGradients(string kind)
    {
        var (layer, row) = Create(kind);
        if (kind is "batchnorm1d" or "batchnorm2d" or "residual_identity" or "residual_projection" or "lenet5" or "vgg" or "resnet") return; // batch statistics need values (checked elsewhere)
        Tensor y = layer.Forward(new Tensor([0, .. row]), training: true);
        y.Length.Should().Be(0);
        layer.Backward(new Tensor(y.Shape));
        foreach (var p in layer.Parameters)
            p.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, p.Name);
    }

    [TestMethod]
    [DynamicData(nameof(AllLayers))]
    public void ForwardIsDeterministicForTheSameSeed(string kind)
    {
        var (a, row) = Create(kind);
        var (b, _) = Create(kind);
        a.Initialize(new Rng(21));
        b.Initialize(new Rng(21));
        var x = Input(4, row, 9);
        a.Forward(x, true).Span.ToArray().Should().Equal(b.Forward(x, true).Span.ToArray());
    }
}
