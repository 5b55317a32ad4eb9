using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class MaxPool2dTests
{
    private const double Rel = TensorAssert.ReductionRelative, Abs = TensorAssert.ReductionAbsolute;

    [TestMethod]
    [DataRow("maxpool2d_k2_s2", 2, 2, 0)]
    [DataRow("maxpool2d_k3_s2_p1", 3, 2, 1)]
    public void MatchesPyTorchForwardAndGradient(string name, int kernel, int stride, int padding)
    {
        var f = Fixture.Load(name);
        var pool = new MaxPool2d(kernel, stride, padding);
        TensorAssert.Close(pool.Forward(f.Tensor("x"), training: true), f.Tensor("y"), Rel, Abs, $"{name} y");
        TensorAssert.Close(pool.Backward(f.Tensor("upstream"))!, f.Tensor("grad_x"), Rel, Abs, $"{name} grad_x");
    }

    [TestMethod]
    [DataRow(2, 3, 7, 6, 2, 2, 0)]
    [DataRow(2, 2, 7, 9, 3, 2, 1)]   // overlapping windows with padding
    [DataRow(1, 3, 5, 5, 3, 1, 1)]   // stride 1: every input feeds several windows
    [DataRow(2, 1, 9, 4, 4, 3, 2)]
    [DataRow(1, 2, 5, 21, 3, 2, 1)]  // wide enough for 8 outputs at a time
    [DataRow(1, 2, 4, 19, 3, 1, 1)]
    public void GradientMatchesFiniteDifferences(int n, int c, int h, int w, int kernel, int stride, int padding)
    {
        var pool = new MaxPool2d(kernel, stride, padding);
        // Distinct values 0.1 apart: a perturbation of at most 1e-3·|v| cannot change any window's winner.
        GradientCheck.Check(pool, DistinctValues(new Rng(3), [n, c, h, w]), new GradientCheck.Options(Step: 1e-3));
    }

    [TestMethod]
    public void RectangularWindowGradientMatchesFiniteDifferences()
    {
        var pool = new MaxPool2d((2, 3), stride: (1, 2), padding: (1, 1));
        pool.GetOutputShape([2, 5, 7]).Should().Equal(2, 6, 4);
        GradientCheck.Check(pool, DistinctValues(new Rng(4), [2, 2, 5, 7]), new GradientCheck.Options(Step: 1e-3));
    }

    [TestMethod]
    [DataRow(2, 2)]
    [DataRow(3, 1)]
    public void TiesGoToTheFirstMaximumAndNaNWinsAsInPyTorch(int kernel, int stride)
    {
        // One 2×2 window (first case) or overlapping 3×3 windows over a constant image: all ties.
        var pool = new MaxPool2d(kernel, stride);
        var x = new Tensor(1, 1, kernel, kernel);
        x.Fill(1f);
        pool.Forward(x, true);
        Tensor dx = pool.Backward(new Tensor([5f], 1, 1, 1, 1))!;
        dx[0].Should().Be(5f, "the first (top-left) maximum takes the gradient");
        dx.Span[1..].ToArray().Should().OnlyContain(v => v == 0f);

        x[kernel] = float.NaN; // second row, first column
        pool.Forward(x, true)[0].Should().Be(float.NaN);
        pool.Backward(new Tensor([5f], 1, 1, 1, 1))![kernel].Should().Be(5f, "the NaN's position takes the gradient");
    }

    [TestMethod]
    [DataRow(3, 1, 1)]
    [DataRow(3, 2, 1)]
    [DataRow(2, 1, 0)]
    [DataRow(4, 2, 2)]
    [DataRow(3, 3, 0)]
    [DataRow(2, 2, 0)]
    [DataRow(2, 2, 1)]
    [DataRow(5, 2, 2)]
    public void WideImagesWithTiesAndNaNsMatchAScanOfEveryWindow(int kernel, int stride, int padding)
    {
        // Few distinct values (many ties), some NaNs and −∞: every window is scanned in row-major order, a value wins
        // when it is greater than the best so far or NaN (PyTorch's CPU rule). Widths 37 and 20 exercise the 8-wide paths.
        foreach (int width in new[] { 37, 20 })
        {
            var rng = new Rng((ulong)(kernel * 100 + stride * 10 + padding + width));
            var x = new Tensor(2, 2, 9, width);
            for (int i = 0; i < x.Length; i++)
            {
                float u = rng.NextFloat();
                x[i] = u < 0.03f ? float.NaN : u < 0.06f ? float.NegativeInfinity : rng.NextInt(5) - 2;
            }
            var pool = new MaxPool2d(kernel, stride, padding);
            Tensor y = pool.Forward(x, training: true);
            var upstream = new Tensor(y.Shape);
            for (int i = 0; i < upstream.Length; i++) upstream[i] = i + 1; // distinct: dx shows where each output went
            Tensor dx = pool.Backward(upstream)!;

            int hOut = y.Dim(2), wOut = y.Dim(3);
            var expectedY = new float[y.Length];
            var expectedDx = new float[x.Length];
            for (int plane = 0; plane < 4; plane++)
                for (int oh = 0; oh < hOut; oh++)
                    for (int ow = 0; ow < wOut; ow++)
                    {
                        int hs = oh * stride - padding, ws = ow * stride - padding;
                        float best = float.NegativeInfinity;
                        int at = Math.Max(hs, 0) * width + Math.Max(ws, 0);
                        for (int ih = Math.Max(hs, 0); ih < Math.Min(hs + kernel, 9); ih++)
                            for (int iw = Math.Max(ws, 0); iw < Math.Min(ws + kernel, width); iw++)
                            {
                                float v = x[(plane * 9 + ih) * width + iw];
                                if (v > best || float.IsNaN(v)) { best = v; at = ih * width + iw; }
                            }
                        int o = (plane * hOut + oh) * wOut + ow;
                        expectedY[o] = best;
                        expectedDx[plane * 9 * width + at] += o + 1;
                    }
            y.Span.ToArray().Should().Equal(expectedY, $"outputs, width {width}");
            dx.Span.ToArray().Should().Equal(expectedDx, $"gradient routing, width {width}");
        }
    }

    [TestMethod]
    public void PaddingNeverWins()
    {
        var pool = new MaxPool2d(3, stride: 2, padding: 1);
        var x = new Tensor(1, 1, 4, 4);
        x.Fill(-5f);
        pool.Forward(x, false).Span.ToArray().Should().OnlyContain(v => v == -5f);
    }

    [TestMethod]
    public void ValidatesArgumentsAndShapes()
    {
        var padding = () => new MaxPool2d(2, padding: 2);
        padding.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at most half the kernel*");
        new MaxPool2d(2).Stride.Should().Be((2, 2), "the stride defaults to the kernel size");
        new MaxPool2d(3, 1).Stride.Should().Be((1, 1));
        new MaxPool2d(2).Name.Should().Be("MaxPool2d(kernel_size=(2, 2), stride=(2, 2))");
        new MaxPool2d(2).GetOutputShape([6, 28, 27]).Should().Equal(6, 14, 13);
        var rank = () => new MaxPool2d(2).Forward(new Tensor(2, 3, 4), true);
        rank.Should().Throw<ArgumentException>().WithMessage("MaxPool2d(*) expects (N, C, H, W) input, got (N, 3, 4).*");
        var small = () => new MaxPool2d(3).GetOutputShape([1, 2, 5]);
        small.Should().Throw<ArgumentException>().WithMessage("*window does not fit*");
    }

    /// <summary>A shuffled ramp 0.1·(i − len/2): distinct values at least 0.1 apart.</summary>
    internal static Tensor DistinctValues(Rng rng, int[] shape)
    {
        var t = new Tensor(shape);
        int[] order = Enumerable.Range(0, t.Length).ToArray();
        rng.Shuffle(order.AsSpan());
        for (int i = 0; i < order.Length; i++) t[i] = 0.1f * (order[i] - order.Length / 2) + 0.05f;
        return t;
    }
}
