using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Initializers;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class Conv2dTests
{
    private const double Rel = TensorAssert.ReductionRelative, Abs = TensorAssert.ReductionAbsolute;

    public static IEnumerable<object[]> FixtureCases() =>
        Fixture.Names("conv2d_").SelectMany(n => new[] { new object[] { n, false }, new object[] { n, true } });

    [TestMethod]
    public void AllFiveConvolutionFixturesArePresent() =>
        Fixture.Names("conv2d_").Should().HaveCount(5);

    [TestMethod]
    [DynamicData(nameof(FixtureCases))]
    public void MatchesPyTorchForwardAndGradients(string name, bool oneImagePerChunk)
    {
        var f = Fixture.Load(name);
        var conv = FromFixture(f);
        if (oneImagePerChunk) conv.ColumnBudget = 1; // one image per chunk: dW summed over chunks, columns recomputed in Backward

        TensorAssert.Close(conv.Forward(f.Tensor("x"), training: true), f.Tensor("y"), Rel, Abs, $"{name} y");
        TensorAssert.Close(conv.Backward(f.Tensor("upstream"))!, f.Tensor("grad_x"), Rel, Abs, $"{name} grad_x");
        TensorAssert.Close(conv.Weight.Gradient, f.Tensor("grad_weight"), Rel, Abs, $"{name} grad_weight");
        TensorAssert.Close(conv.Bias!.Gradient, f.Tensor("grad_bias"), Rel, Abs, $"{name} grad_bias");
    }

    [TestMethod]
    [DataRow(2, 3, 4, 7, 5, 3, 1, 0, 1, 1, true)]     // odd sizes
    [DataRow(3, 2, 5, 9, 8, 3, 2, 1, 1, 1, true)]     // stride 2, padding 1
    [DataRow(2, 4, 6, 8, 7, 3, 1, 2, 2, 2, true)]     // dilation 2, groups 2
    [DataRow(2, 6, 3, 7, 7, 5, 3, 2, 1, 3, false)]    // stride 3, 5×5, 3 groups, no bias
    [DataRow(1, 4, 4, 5, 6, 3, 1, 1, 1, 4, true)]     // depthwise
    [DataRow(3, 5, 2, 4, 4, 1, 1, 0, 1, 1, true)]     // 1×1 (columns are the image)
    [DataRow(2, 3, 2, 5, 5, 1, 2, 0, 1, 1, true)]     // 1×1 with stride 2 (projection shortcut)
    [DataRow(2, 2, 3, 6, 5, 6, 1, 3, 1, 1, true)]     // kernel larger than the image, padding makes it fit
    [DataRow(2, 2, 2, 9, 9, 3, 2, 3, 3, 1, false)]    // dilation 3 with wide padding
    [DataRow(2, 4, 6, 16, 17, 1, 1, 0, 1, 2, true)]   // pointwise on 272-value planes: direct path (no columns)
    public void GradientsMatchFiniteDifferences(int n, int cIn, int cOut, int h, int w, int k, int stride, int padding, int dilation, int groups, bool bias)
    {
        var conv = new Conv2d(cIn, cOut, k, stride, padding, dilation, groups, bias);
        conv.Initialize(new Rng((ulong)(cIn * 100 + cOut * 10 + k)));
        GradientCheck.Check(conv, TestTensors.Uniform(new Rng(17), [n, cIn, h, w]));
    }

    [TestMethod]
    public void RectangularKernelStrideAndPaddingGradientsMatchFiniteDifferences()
    {
        var conv = new Conv2d(3, 4, (2, 3), stride: (2, 1), padding: (1, 0), dilation: (1, 2));
        conv.Initialize(new Rng(8));
        Tensor x = TestTensors.Uniform(new Rng(9), [2, 3, 7, 9]);
        conv.GetOutputShape([3, 7, 9]).Should().Equal(4, 4, 5);
        GradientCheck.Check(conv, x);
    }

    [TestMethod]
    [DataRow(3, 5, 16, 16, 1, 1, 0, 1, 1)]   // pointwise, direct path
    [DataRow(4, 6, 16, 16, 1, 1, 0, 1, 2)]   // grouped pointwise, direct path
    [DataRow(3, 5, 7, 9, 1, 1, 0, 1, 1)]     // pointwise on small planes: columns
    [DataRow(4, 6, 9, 8, 3, 2, 2, 2, 2)]
    [DataRow(2, 3, 6, 7, 4, 3, 1, 1, 1)]
    public void ForwardMatchesADirectSumOverTheDefinition(int cIn, int cOut, int h, int w, int k, int stride, int padding, int dilation, int groups)
    {
        var conv = new Conv2d(cIn, cOut, k, stride, padding, dilation, groups);
        conv.Initialize(new Rng(6));
        Tensor x = TestTensors.Uniform(new Rng(7), [3, cIn, h, w]);
        Tensor y = conv.Forward(x, training: false);
        int hOut = y.Dim(2), wOut = y.Dim(3), cg = cOut / groups, kg = cIn / groups;
        var expected = new Tensor(y.Shape);
        for (int n = 0; n < 3; n++)
            for (int o = 0; o < cOut; o++)
                for (int oh = 0; oh < hOut; oh++)
                    for (int ow = 0; ow < wOut; ow++)
                    {
                        double sum = conv.Bias!.Value[o];
                        for (int c = 0; c < kg; c++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int ih = oh * stride - padding + i * dilation, iw = ow * stride - padding + j * dilation;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    sum += (double)conv.Weight.Value[((o * kg + c) * k + i) * k + j] * x[((n * cIn + (o / cg) * kg + c) * h + ih) * w + iw];
                                }
                        expected[((n * cOut + o) * hOut + oh) * wOut + ow] = (float)sum;
                    }
        TensorAssert.Close(y, expected, 1e-5, 1e-6, conv.Name);
    }

    [TestMethod]
    [DataRow(5, 2)]    // 3 chunks, the last partial; one gradient group per chunk
    [DataRow(19, 1)]   // 19 chunks in 8 gradient groups of 2 or 3 chunks
    [DataRow(23, 2)]   // 12 chunks, the last partial, in 8 groups
    public void ChunkedBatchGivesTheSameResultsAsOneChunk(int images, int imagesPerChunk)
    {
        var whole = new Conv2d(3, 4, 3, padding: 1, groups: 1);
        var chunked = new Conv2d(3, 4, 3, padding: 1) { ColumnBudget = imagesPerChunk * 27 * 36 };
        whole.Initialize(new Rng(3));
        chunked.Initialize(new Rng(3));
        Tensor x = TestTensors.Uniform(new Rng(4), [images, 3, 6, 6]);
        Tensor g = TestTensors.Uniform(new Rng(5), [images, 4, 6, 6]);
        TensorAssert.Close(chunked.Forward(x, true), whole.Forward(x, true).Clone(), 1e-6, 1e-6, "y");
        TensorAssert.Close(chunked.Backward(g)!, whole.Backward(g)!.Clone(), 1e-6, 1e-6, "dx");
        // dW and db sum images·36 products, in another order for each chunking: check both against float64 sums, within
        // float32 rounding of a sum of that many terms (2⁻²⁴ per term, relative to the sum of the terms' magnitudes).
        float[] dwWhole = whole.Weight.Gradient.Span.ToArray(), dwChunked = chunked.Weight.Gradient.Span.ToArray();
        float[] dbWhole = whole.Bias!.Gradient.Span.ToArray(), dbChunked = chunked.Bias!.Gradient.Span.ToArray();
        ReadOnlySpan<float> xs = x.Span, gs = g.Span;
        int terms = images * 36;
        double bound = terms * Math.Pow(2, -24);
        for (int o = 0; o < 4; o++)
        {
            double sum = 0, magnitude = 0;
            for (int n = 0; n < images; n++)
                for (int p = 0; p < 36; p++) { sum += gs[(n * 4 + o) * 36 + p]; magnitude += Math.Abs(gs[(n * 4 + o) * 36 + p]); }
            Math.Abs(dbChunked[o] - sum).Should().BeLessThanOrEqualTo(bound * magnitude, "db[{0}] chunked", o);
            Math.Abs(dbWhole[o] - sum).Should().BeLessThanOrEqualTo(bound * magnitude, "db[{0}] whole", o);
            for (int c = 0; c < 3; c++)
                for (int i = 0; i < 3; i++)
                    for (int j = 0; j < 3; j++)
                    {
                        sum = 0;
                        magnitude = 0;
                        for (int n = 0; n < images; n++)
                            for (int oh = 0; oh < 6; oh++)
                                for (int ow = 0; ow < 6; ow++)
                                {
                                    int ih = oh - 1 + i, iw = ow - 1 + j;
                                    if (ih < 0 || ih >= 6 || iw < 0 || iw >= 6) continue;
                                    double term = (double)gs[((n * 4 + o) * 6 + oh) * 6 + ow] * xs[((n * 3 + c) * 6 + ih) * 6 + iw];
                                    sum += term;
                                    magnitude += Math.Abs(term);
                                }
                        int k = ((o * 3 + c) * 3 + i) * 3 + j;
                        Math.Abs(dwChunked[k] - sum).Should().BeLessThanOrEqualTo(bound * magnitude, "dW[{0}] chunked", k);
                        Math.Abs(dwWhole[k] - sum).Should().BeLessThanOrEqualTo(bound * magnitude, "dW[{0}] whole", k);
                    }
        }
    }

    [TestMethod]
    public void BackwardAfterAnInferenceForwardUsesThatForwardsInput()
    {
        // The columns kept by a training forward must not be reused after an inference forward on other data.
        var conv = new Conv2d(2, 3, 3, padding: 1);
        Tensor a = TestTensors.Uniform(new Rng(1), [2, 2, 5, 5]), b = TestTensors.Uniform(new Rng(2), [2, 2, 5, 5]);
        Tensor g = TestTensors.Uniform(new Rng(3), [2, 3, 5, 5]);
        conv.Forward(b, training: true);
        conv.Backward(g);
        float[] expected = conv.Weight.Gradient.Span.ToArray();
        conv.Forward(a, training: true);
        conv.Forward(b, training: false);
        conv.Backward(g);
        conv.Weight.Gradient.Span.ToArray().Should().Equal(expected);
    }

    [TestMethod]
    public void WithoutInputGradientParameterGradientsAreUnchanged()
    {
        var conv = new Conv2d(3, 4, 3, stride: 2, padding: 1);
        Tensor x = TestTensors.Uniform(new Rng(1), [3, 3, 7, 7]);
        Tensor g = TestTensors.Uniform(new Rng(2), [3, 4, 4, 4]);
        conv.Forward(x, true);
        conv.Backward(g).Should().NotBeNull();
        float[] dw = conv.Weight.Gradient.Span.ToArray(), db = conv.Bias!.Gradient.Span.ToArray();
        conv.ComputeInputGradient = false;
        conv.Forward(x, true);
        conv.Backward(g).Should().BeNull();
        conv.Weight.Gradient.Span.ToArray().Should().Equal(dw);
        conv.Bias.Gradient.Span.ToArray().Should().Equal(db);
    }

    [TestMethod]
    public void ComputesTheCrossCorrelationOfASmallExampleByHand()
    {
        // 1 channel 3×3 image, 2×2 kernel [[1, 2], [3, 4]], bias 10: y[0,0] = 1·1 + 2·2 + 3·4 + 4·5 + 10 = 47.
        var conv = new Conv2d(1, 1, 2);
        new float[] { 1, 2, 3, 4 }.CopyTo(conv.Weight.Value.Span);
        conv.Bias!.Value[0] = 10;
        var x = new Tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], 1, 1, 3, 3);
        conv.Forward(x, false).Span.ToArray().Should().Equal(47, 57, 77, 87);
    }

    [TestMethod]
    public void ParametersFollowPyTorchLayoutNamesInitializationAndRepresentation()
    {
        var conv = new Conv2d(6, 16, 5, groups: 2);
        conv.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        conv.Weight.Value.Shape.ToArray().Should().Equal(16, 3, 5, 5);
        conv.Weight.IsWeight.Should().BeTrue();
        conv.Bias!.IsWeight.Should().BeFalse();
        new Conv2d(1, 2, 3, bias: false).Parameters.Should().ContainSingle();

        conv.Initialize(new Rng(4));
        float bound = (float)(1 / Math.Sqrt(3 * 5 * 5)); // fan_in = C_in/groups·kh·kw
        conv.Weight.Value.Span.ToArray().Should().OnlyContain(v => Math.Abs(v) <= bound);
        conv.Weight.Value.Span.ToArray().Max().Should().BeGreaterThan(0.98f * bound);
        conv.Bias.Value.Span.ToArray().Should().OnlyContain(v => Math.Abs(v) <= bound);
        var rng = new Rng(4);
        conv.Weight.Value[0].Should().Be((2f * rng.NextFloat() - 1f) * bound, "weight first, row-major, from the given generator");

        conv.Name.Should().Be("Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1), groups=2)");
        new Conv2d(1, 6, 5, padding: 2).Name.Should().Be("Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))");
        new Conv2d(2, 4, (1, 3), stride: (2, 1), dilation: (1, 2), bias: false).Name
            .Should().Be("Conv2d(2, 4, kernel_size=(1, 3), stride=(2, 1), dilation=(1, 2), bias=False)");
    }

    [TestMethod]
    public void UsesTheGivenInitializersWithConvolutionFans()
    {
        var conv = new Conv2d(4, 8, 3, groups: 2, weightInitializer: new HeNormal(mode: FanMode.FanOut), biasInitializer: Constant.Zeros);
        conv.Initialize(new Rng(1));
        conv.Bias!.Value.Span.ToArray().Should().OnlyContain(v => v == 0f);
        double std = Math.Sqrt(conv.Weight.Value.Span.ToArray().Select(v => (double)v * v).Average());
        std.Should().BeApproximately(Math.Sqrt(2.0 / (8 * 9)), 0.2 * Math.Sqrt(2.0 / 72), "fan_out = C_out·kh·kw");
    }

    [TestMethod]
    public void ComputesOutputShapesAndRejectsBadInputsClearly()
    {
        new Conv2d(3, 8, 3, stride: 2, padding: 1).GetOutputShape([3, 32, 31]).Should().Equal(8, 16, 16);
        new Conv2d(3, 8, 3, dilation: 2).GetOutputShape([3, 9, 9]).Should().Equal(8, 5, 5);
        var conv = new Conv2d(3, 8, 5);
        var channels = () => conv.Forward(new Tensor(2, 4, 8, 8), true);
        channels.Should().Throw<ArgumentException>().WithMessage("Conv2d expects (N, 3, H, W) input, got (N, 4, 8, 8).");
        var rank = () => conv.GetOutputShape([3, 8]);
        rank.Should().Throw<ArgumentException>().WithMessage("Conv2d expects (N, 3, H, W) input, got (N, 3, 8).");
        var small = () => conv.GetOutputShape([3, 4, 8]);
        small.Should().Throw<ArgumentException>().WithMessage("*kernel*does not fit the padded input 4×8*");
        var groups = () => new Conv2d(3, 8, 3, groups: 2);
        groups.Should().Throw<ArgumentException>().WithMessage("*divisible by groups (2)*");
        var stride = () => new Conv2d(3, 8, 3, stride: 0);
        stride.Should().Throw<ArgumentOutOfRangeException>();
        var padding = () => new Conv2d(3, 8, 3, padding: -1);
        padding.Should().Throw<ArgumentOutOfRangeException>();
    }

    internal static Conv2d FromFixture(Fixture f)
    {
        Tensor w = f.Tensor("weight");
        int groups = (int)f.Number("groups");
        var conv = new Conv2d(w.Dim(1) * groups, w.Dim(0), (w.Dim(2), w.Dim(3)),
            stride: ((int)f.Number("stride"), (int)f.Number("stride")),
            padding: ((int)f.Number("padding"), (int)f.Number("padding")),
            dilation: ((int)f.Number("dilation"), (int)f.Number("dilation")),
            groups: groups, bias: f.Has("bias"));
        w.Span.CopyTo(conv.Weight.Value.Span);
        if (f.Has("bias")) f.Tensor("bias").Span.CopyTo(conv.Bias!.Value.Span);
        return conv;
    }
}
