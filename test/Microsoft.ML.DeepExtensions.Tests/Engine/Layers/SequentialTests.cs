using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

/// <summary>Smoke tests of the layers composed by <see cref="Sequential"/>.</summary>
[TestClass]
public sealed class SequentialTests
{
    [TestMethod]
    public void MultilayerPerceptronHasExpectedShapesAndParameterNames()
    {
        var net = new Sequential(new Linear(5, 7), new ReLU(), new Linear(7, 3));
        net.Initialize(new Rng(1));
        net.GetOutputShape([5]).Should().Equal(3);
        net.Parameters.Select(p => p.Name).Should().Equal("0.weight", "0.bias", "2.weight", "2.bias");
        net.ParameterCount.Should().Be(5 * 7 + 7 + 7 * 3 + 3);

        Tensor y = net.Forward(TestTensors.Uniform(new Rng(2), [4, 5]), training: true);
        y.Shape.ToArray().Should().Equal(4, 3);
        var upstream = TestTensors.Uniform(new Rng(3), [4, 3]);
        net.Backward(upstream)!.Shape.ToArray().Should().Equal(4, 5);
        net.ComputeInputGradient = false;
        net.Backward(upstream).Should().BeNull("the first layer then computes no input gradient");
        foreach (var p in net.Parameters)
            p.Gradient.Span.ToArray().Should().Contain(v => v != 0f, p.Name);
    }

    [TestMethod]
    public void GradientsThroughLinearReluLinearMatchFiniteDifferences()
    {
        var net = new Sequential(new Linear(5, 17), new ReLU(), new Linear(17, 3));
        net.Initialize(new Rng(11));
        var x = TestTensors.Uniform(new Rng(12), [3, 5], 1f);

        // Precondition: no hidden pre-activation sits near ReLU's kink, where finite differences are meaningless.
        // A perturbation h = 1e-3 of one unit-scale input or weight moves a pre-activation by about 1e-3 at most.
        Tensor hidden = ((Linear)net.Layers[0]).Forward(x, training: false);
        hidden.Span.ToArray().Min(Math.Abs).Should().BeGreaterThan(5e-3f, "the seed must keep pre-activations off the kink");

        GradientCheck.Check(net, x, new GradientCheck.Options(Step: 1e-3, MaxCoordinates: 200));
    }

    [TestMethod]
    public void GradientsThroughAMixedStackMatchFiniteDifferences()
    {
        var dropout = new Dropout(0.2f);
        var net = new Sequential(new Flatten(), new Linear(12, 9), new BatchNorm1d(9), new GELU(),
            dropout, new Linear(9, 4), new LogSoftmax());
        net.Initialize(new Rng(5));
        var x = TestTensors.Uniform(new Rng(6), [4, 3, 4]);
        GradientCheck.Check(net, x, beforeForward: () => dropout.Initialize(new Rng(8)));
    }
}
