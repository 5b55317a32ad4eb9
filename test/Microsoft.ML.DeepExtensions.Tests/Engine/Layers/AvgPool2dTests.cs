using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class AvgPool2dTests
{
    private const double Rel = TensorAssert.ReductionRelative, Abs = TensorAssert.ReductionAbsolute;

    [TestMethod]
    [DataRow("avgpool2d_k2_s2", 2, 2, 0)]
    [DataRow("avgpool2d_k3_s1_p1_countpad", 3, 1, 1)]
    public void MatchesPyTorchForwardAndGradient(string name, int kernel, int stride, int padding)
    {
        var f = Fixture.Load(name);
        var pool = new AvgPool2d(kernel, stride, padding, countIncludePad: true);
        TensorAssert.Close(pool.Forward(f.Tensor("x"), training: true), f.Tensor("y"), Rel, Abs, $"{name} y");
        TensorAssert.Close(pool.Backward(f.Tensor("upstream"))!, f.Tensor("grad_x"), Rel, Abs, $"{name} grad_x");
    }

    [TestMethod]
    [DataRow(2, 3, 7, 6, 2, 2, 0, true)]
    [DataRow(2, 2, 7, 9, 3, 2, 1, true)]
    [DataRow(2, 2, 7, 9, 3, 2, 1, false)]
    [DataRow(1, 3, 5, 5, 3, 1, 1, false)]
    [DataRow(2, 1, 9, 4, 4, 3, 2, false)]
    public void GradientMatchesFiniteDifferences(int n, int c, int h, int w, int kernel, int stride, int padding, bool countIncludePad)
    {
        var pool = new AvgPool2d(kernel, stride, padding, countIncludePad);
        GradientCheck.Check(pool, TestTensors.Uniform(new Rng(5), [n, c, h, w]));
    }

    [TestMethod]
    public void CountIncludePadChangesOnlyTheBorderDivisors()
    {
        // 3×3 windows, stride 1, padding 1 over a 3×3 image of ones: the corner window holds 4 image values.
        var x = new Tensor(1, 1, 3, 3);
        x.Fill(1f);
        new AvgPool2d(3, 1, 1, countIncludePad: true).Forward(x, false).Span.ToArray()
            .Should().Equal(4f / 9, 6f / 9, 4f / 9, 6f / 9, 1f, 6f / 9, 4f / 9, 6f / 9, 4f / 9);
        new AvgPool2d(3, 1, 1, countIncludePad: false).Forward(x, false).Span.ToArray()
            .Should().OnlyContain(v => v == 1f);
    }

    [TestMethod]
    public void ValidatesArgumentsAndShapes()
    {
        var padding = () => new AvgPool2d(3, padding: 2);
        padding.Should().Throw<ArgumentOutOfRangeException>();
        new AvgPool2d(2).Name.Should().Be("AvgPool2d(kernel_size=(2, 2), stride=(2, 2))");
        new AvgPool2d(3, 1, 1, countIncludePad: false).Name.Should().Be("AvgPool2d(kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), count_include_pad=False)");
        new AvgPool2d((2, 4)).GetOutputShape([3, 8, 8]).Should().Equal(3, 4, 2);
        var rank = () => new AvgPool2d(2).Forward(new Tensor(2, 3), true);
        rank.Should().Throw<ArgumentException>().WithMessage("*expects (N, C, H, W) input*");
    }
}
