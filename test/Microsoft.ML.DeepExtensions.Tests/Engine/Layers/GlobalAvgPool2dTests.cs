using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class GlobalAvgPool2dTests
{
    [TestMethod]
    public void MatchesPyTorchForwardAndGradient()
    {
        // The fixture is AdaptiveAvgPool2d(1): (N, C, 1, 1); this layer also flattens to (N, C).
        var f = Fixture.Load("global_avgpool");
        var pool = new GlobalAvgPool2d();
        Tensor y = f.Tensor("y"), upstream = f.Tensor("upstream");
        y.Reshape(y.Dim(0), y.Dim(1));
        upstream.Reshape(upstream.Dim(0), upstream.Dim(1));
        TensorAssert.Close(pool.Forward(f.Tensor("x"), true), y, TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, "y");
        TensorAssert.Close(pool.Backward(upstream)!, f.Tensor("grad_x"), TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, "grad_x");
    }

    [TestMethod]
    [DataRow(2, 3, 5, 7)]
    [DataRow(1, 1, 1, 1)]
    [DataRow(3, 4, 1, 9)]
    public void GradientMatchesFiniteDifferences(int n, int c, int h, int w) =>
        GradientCheck.Check(new GlobalAvgPool2d(), TestTensors.Uniform(new Rng(2), [n, c, h, w]));

    [TestMethod]
    public void ReducesImagesToChannelMeans()
    {
        var pool = new GlobalAvgPool2d();
        pool.GetOutputShape([64, 8, 8]).Should().Equal(64);
        var x = new Tensor([1, 2, 3, 4, 10, 20, 30, 40], 1, 2, 2, 2);
        pool.Forward(x, false).Span.ToArray().Should().Equal(2.5f, 25f);
        var rank = () => pool.GetOutputShape([64, 8]);
        rank.Should().Throw<ArgumentException>().WithMessage("GlobalAvgPool2d expects (N, C, H, W) input, got (N, 64, 8).");
    }
}
