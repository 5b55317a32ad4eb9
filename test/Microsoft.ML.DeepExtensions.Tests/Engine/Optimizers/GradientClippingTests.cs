using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

[TestClass]
public sealed class GradientClippingTests
{
    [TestMethod]
    public void ClipByGlobalNormMatchesPyTorch()
    {
        var f = Fixture.Load("clip_grad_norm_1.0");
        var p1 = WithGradient(f.Tensor("grad_1"));
        var p2 = WithGradient(f.Tensor("grad_2"));

        double total = GradientClipping.ClipByGlobalNorm([p1, p2], f.Number("max_norm"));

        total.Should().BeApproximately(f.Number("total_norm"), 1e-4 * f.Number("total_norm"));
        TensorAssert.Close(p1.Gradient, f.Tensor("clipped_1"), TensorAssert.ElementwiseRelative, TensorAssert.ElementwiseAbsolute, "clipped_1");
        TensorAssert.Close(p2.Gradient, f.Tensor("clipped_2"), TensorAssert.ElementwiseRelative, TensorAssert.ElementwiseAbsolute, "clipped_2");
    }

    [TestMethod]
    public void GradientsBelowTheMaximumAreUnchanged()
    {
        var p = WithGradient(new Tensor([0.3f, -0.4f], 2));
        GradientClipping.ClipByGlobalNorm([p], 1.0).Should().BeApproximately(0.5, 1e-7);
        p.Gradient.Span.ToArray().Should().Equal(0.3f, -0.4f);
    }

    [TestMethod]
    public void GlobalNormAccumulatesInDoubleOverManyElements()
    {
        // 1e20² overflows float32; 1000 elements exercise the SIMD body and the tail.
        var big = new Tensor(1003);
        big.Fill(1e20f);
        var small = new Tensor([3f, 4f], 2);
        double norm = GradientClipping.GlobalNorm([WithGradient(big), WithGradient(small)]);
        norm.Should().BeApproximately(Math.Sqrt(1003) * 1e20, 1e-6 * Math.Sqrt(1003) * 1e20);
        GradientClipping.GlobalNorm([WithGradient(small)]).Should().Be(5.0);
        GradientClipping.GlobalNorm([]).Should().Be(0.0);
    }

    [TestMethod]
    [DataRow(float.NaN, double.NaN)]
    [DataRow(float.PositiveInfinity, double.PositiveInfinity)]
    [DataRow(float.NegativeInfinity, double.PositiveInfinity)]
    public void NonFiniteGradientsGiveANonFiniteNormAndAreLeftAlone(float bad, double expected)
    {
        var g = new Tensor(20);
        g.Fill(10f);
        g[13] = bad;
        var p = WithGradient(g);

        GradientClipping.GlobalNorm([p]).Should().Be(expected);
        GradientClipping.ClipByGlobalNorm([p], 1.0).Should().Be(expected);
        p.Gradient[0].Should().Be(10f, "a non-finite norm leaves the gradients for the caller to discard");
    }

    [TestMethod]
    public void ClipByValueClampsEveryElement()
    {
        var p = WithGradient(new Tensor([-3f, -0.5f, 0f, 0.5f, 3f, float.NaN], 6));
        GradientClipping.ClipByValue([p], 1f);
        var clipped = p.Gradient.Span.ToArray();
        clipped[..5].Should().Equal(-1f, -0.5f, 0f, 0.5f, 1f);
        float.IsNaN(clipped[5]).Should().BeTrue();
    }

    [TestMethod]
    public void RejectsInvalidArguments()
    {
        var p = WithGradient(new Tensor(2));
        FluentActions.Invoking(() => GradientClipping.ClipByGlobalNorm([p], 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxNorm");
        FluentActions.Invoking(() => GradientClipping.ClipByGlobalNorm([p], double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => GradientClipping.ClipByValue([p], -1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("clipValue");
        FluentActions.Invoking(() => GradientClipping.GlobalNorm(null!)).Should().Throw<ArgumentNullException>();
        FluentActions.Invoking(() => GradientClipping.GlobalNorm([p, null!])).Should().Throw<ArgumentNullException>().WithMessage("*1*null*");
    }

    private static Parameter WithGradient(Tensor gradient)
    {
        var p = new Parameter("p", new Tensor(gradient.Shape), isWeight: true);
        gradient.Span.CopyTo(p.Gradient.Span);
        return p;
    }
}
