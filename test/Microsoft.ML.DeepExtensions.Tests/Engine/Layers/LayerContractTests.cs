using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Activations;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

/// <summary>The <see cref="Layer"/> contract, checked for every layer of this folder.</summary>
[TestClass]
public sealed class LayerContractTests
{
    private static readonly string[] Kinds =
    [
        "linear", "dropout", "batchnorm1d", "flatten", "sigmoid", "tanh", "relu", "leaky_relu_0.2", "elu_1.0",
        "gelu_erf", "gelu_tanh", "silu", "softplus", "softmax_lastdim", "log_softmax_lastdim",
    ];

    public static IEnumerable<object[]> AllLayers() => Kinds.Select(k => new object[] { k });

    private static (Layer Layer, int[] RowShape) Create(string kind) => kind switch
    {
        "linear" => (new Linear(13, 9), [13]),
        "dropout" => (new Dropout(0.3f), [13]),
        "batchnorm1d" => (new BatchNorm1d(13), [13]),
        "flatten" => (new Flatten(), [3, 5]),
        _ => (ActivationFixtureTests.Create(kind), [13]),
    };

    private static Tensor Input(int n, int[] rowShape, ulong seed) =>
        TestTensors.Uniform(new Rng(seed), [n, .. rowShape], 2f, 0.1f);

    [TestMethod]
    [DynamicData(nameof(AllLayers))]
    public void SteadyStateForwardAndBackwardAllocateNothing(string kind)
    {
        // As inside a network: the input and the upstream gradient are other layers' tensors, resized in place
        // between a full batch of 16 and a last partial batch of 5, in training and in inference.
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
        for (int i = 0; i < 5; i++) { Step(16, true); Step(5, true); Step(16, false); }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, $"{kind} must reuse its tensors once shapes are stable");
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
        var early = () => layer.Backward(new Tensor(3, 13));
        early.Should().Throw<InvalidOperationException>().WithMessage("*before Forward*");
        Tensor y = layer.Forward(Input(3, row, 8), training: true);
        var wrong = () => layer.Backward(new Tensor(4, y.Length / 3 + 1));
        wrong.Should().Throw<ArgumentException>().WithMessage("*gradient shaped like its last output*");
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
