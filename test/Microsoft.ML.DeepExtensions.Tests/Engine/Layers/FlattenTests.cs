using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class FlattenTests
{
    [TestMethod]
    public void FlattensEachExampleInRowMajorOrderWithoutCopying()
    {
        var x = TestTensors.Uniform(new Rng(1), [2, 3, 4, 5]);
        var flatten = new Flatten();
        Tensor y = flatten.Forward(x, training: true);
        y.Shape.ToArray().Should().Equal(2, 60);
        y.Data.Should().BeSameAs(x.Data);
        y.Span.SequenceEqual(x.Span).Should().BeTrue();
        flatten.GetOutputShape([3, 4, 5]).Should().Equal(60);

        var g = TestTensors.Uniform(new Rng(2), [2, 60]);
        Tensor dx = flatten.Backward(g)!;
        dx.Shape.ToArray().Should().Equal(2, 3, 4, 5);
        dx.Data.Should().BeSameAs(g.Data);
    }

    [TestMethod]
    public void ReusesItsViewWhileTheInputArrayIsTheSame()
    {
        var x = new Tensor(8, 2, 3);
        var flatten = new Flatten();
        Tensor first = flatten.Forward(x, training: true);
        x.ResizeBatch(5, [2, 3]);
        Tensor second = flatten.Forward(x, training: true);
        second.Should().BeSameAs(first);
        second.Shape.ToArray().Should().Equal(5, 6);
        Tensor other = flatten.Forward(new Tensor(5, 2, 3), training: true);
        other.Should().NotBeSameAs(first, "a different input array needs a new view");
    }

    [TestMethod]
    public void GradientMatchesFiniteDifferences() =>
        GradientCheck.Check(new Flatten(), TestTensors.Uniform(new Rng(3), [3, 2, 7]));
}
