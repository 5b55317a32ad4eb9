using Microsoft.ML.DeepExtensions.Engine;

namespace Microsoft.ML.DeepExtensions.Tests.Engine;

[TestClass]
public sealed class TensorTests
{
    [TestMethod]
    public void ResizeToSmallerBatchKeepsStorage()
    {
        var t = new Tensor(8, 3);
        float[] before = t.Data;
        t.ResizeBatch(5, [3]);
        t.Data.Should().BeSameAs(before);
        t.Shape.ToArray().Should().Equal(5, 3);
        t.Length.Should().Be(15);
        t.ResizeBatch(9, [3]);
        t.Data.Should().NotBeSameAs(before);
        t.Length.Should().Be(27);
    }

    [TestMethod]
    public void ReshapeRejectsDifferentElementCount()
    {
        var t = new Tensor(2, 6);
        t.Reshape(3, 4);
        t.Shape.ToArray().Should().Equal(3, 4);
        var act = () => t.Reshape(5, 2);
        act.Should().Throw<ArgumentException>().WithMessage("*12 values*10 values*");
    }

    [TestMethod]
    public void AllFiniteDetectsNaNAndInfinityAtAnyPosition()
    {
        for (int n = 1; n < 70; n += 3)
        {
            var t = new Tensor(n);
            t.IsFinite().Should().BeTrue();
            t[n - 1] = float.NaN;
            t.IsFinite().Should().BeFalse($"NaN at the end of {n}");
            t[n - 1] = 0;
            t[0] = float.NegativeInfinity;
            t.IsFinite().Should().BeFalse($"-inf at the start of {n}");
        }
    }

    [TestMethod]
    public void RngMatchesTheBenchmarkAnchorStream()
    {
        // shared/bench/WORKLOADS.md §1
        Rng.SplitMix64(0, 0).Should().Be(16294208416658607535UL);
        Rng.SplitMix64(0, 1).Should().Be(7960286522194355700UL);
        Rng.SplitMix64(0, 2).Should().Be(487617019471545679UL);
        var rng = new Rng(11);
        float[] sym = Enumerable.Range(0, 4).Select(_ => 2f * rng.NextFloat() - 1f).ToArray();
        sym.Should().Equal(-0.36751127f, -0.4752698f, 0.27608466f, 0.009227991f);
    }
}
