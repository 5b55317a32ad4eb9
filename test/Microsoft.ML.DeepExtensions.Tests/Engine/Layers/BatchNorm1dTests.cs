using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class BatchNorm1dTests
{
    private const double Rel = TensorAssert.ReductionRelative, Abs = TensorAssert.ReductionAbsolute;

    [TestMethod]
    public void MatchesPyTorchTrainingStepRunningStatisticsAndInference()
    {
        var f = Fixture.Load("batchnorm1d");
        Tensor x = f.Tensor("x");
        var bn = new BatchNorm1d(x.Dim(1), eps: f.Number("eps"), momentum: f.Number("momentum"));
        f.Tensor("weight").Span.CopyTo(bn.Weight!.Value.Span);
        f.Tensor("bias").Span.CopyTo(bn.Bias!.Value.Span);

        TensorAssert.Close(bn.Forward(x, training: true), f.Tensor("y"), Rel, Abs, "y");
        TensorAssert.Close(bn.Backward(f.Tensor("upstream"))!, f.Tensor("grad_x"), Rel, Abs, "grad_x");
        TensorAssert.Close(bn.Weight.Gradient, f.Tensor("grad_weight"), Rel, Abs, "grad_weight");
        TensorAssert.Close(bn.Bias.Gradient, f.Tensor("grad_bias"), Rel, Abs, "grad_bias");
        TensorAssert.Close(bn.RunningMean, f.Tensor("running_mean_after"), Rel, Abs, "running_mean");
        TensorAssert.Close(bn.RunningVar, f.Tensor("running_var_after"), Rel, Abs, "running_var");
        TensorAssert.Close(bn.Forward(f.Tensor("eval_x"), training: false), f.Tensor("eval_y"), Rel, Abs, "eval_y");
        TensorAssert.Close(bn.RunningMean, f.Tensor("running_mean_after"), Rel, Abs, "running_mean unchanged by inference");
    }

    [TestMethod]
    [DataRow(3, 1)]
    [DataRow(3, 7)]
    [DataRow(3, 17)]
    [DataRow(4, 33)]
    [DataRow(2, 5)]
    public void TrainingGradientsMatchFiniteDifferences(int n, int c)
    {
        var bn = new BatchNorm1d(c);
        RandomizeAffine(bn, new Rng((ulong)c));
        GradientCheck.Check(bn, TestTensors.Uniform(new Rng((ulong)(n + 100 * c)), [n, c]));
    }

    [TestMethod]
    [DataRow(3, 5, 4)]
    [DataRow(2, 3, 9)]
    [DataRow(1, 2, 17)]
    public void ThreeDimensionalInputGradientsMatchFiniteDifferences(int n, int c, int l)
    {
        var bn = new BatchNorm1d(c);
        RandomizeAffine(bn, new Rng(9));
        GradientCheck.Check(bn, TestTensors.Uniform(new Rng(4), [n, c, l]));
    }

    [TestMethod]
    public void InferenceGradientsMatchFiniteDifferences()
    {
        var bn = new BatchNorm1d(7);
        RandomizeAffine(bn, new Rng(2));
        TestTensors.Uniform(new Rng(3), [7], 0.5f).Span.CopyTo(bn.RunningMean.Span);
        for (int i = 0; i < 7; i++) bn.RunningVar[i] = 0.5f + i;
        GradientCheck.Check(bn, TestTensors.Uniform(new Rng(4), [3, 7]), new GradientCheck.Options(Training: false));
    }

    [TestMethod]
    public void ThreeDimensionalInputUsesStatisticsOverBatchAndLength()
    {
        // (N=2, C=2, L=3): channel 0 holds 0..5, channel 1 holds 10·(0..5); each must normalize to the same values.
        var x = new Tensor([0, 1, 2, 10, 20, 30, 3, 4, 5, 40, 50, 60], 2, 2, 3);
        var bn = new BatchNorm1d(2, momentum: 1.0);
        Tensor y = bn.Forward(x, training: true);
        for (int n = 0; n < 2; n++)
            for (int l = 0; l < 3; l++)
                y[(n * 2 + 1) * 3 + l].Should().BeApproximately(y[(n * 2) * 3 + l], 1e-5f);
        bn.RunningMean.Span.ToArray().Should().Equal(2.5f, 35f);
        bn.RunningVar[0].Should().BeApproximately(3.5f, 1e-6f, "unbiased variance of 0..5");
        bn.RunningVar[1].Should().BeApproximately(350f, 1e-4f);
    }

    [TestMethod]
    public void StatisticsStayAccurateForLargeOffsets()
    {
        // Values 1000 ± 0.1: a one-pass float32 variance E[x²] - E[x]² would lose all its digits (ulp(1e6) = 0.06 ≫ σ² = 0.01).
        var rng = new Rng(1);
        var x = TestTensors.Gaussian(rng, [256, 3], std: 0.1, mean: 1000.0);
        var bn = new BatchNorm1d(3, affine: false);
        Tensor y = bn.Forward(x, training: true);
        for (int c = 0; c < 3; c++)
        {
            double s = 0, s2 = 0;
            for (int r = 0; r < 256; r++) { s += y[r, c]; s2 += (double)y[r, c] * y[r, c]; }
            (s / 256).Should().BeApproximately(0, 2e-3);
            (s2 / 256).Should().BeApproximately(1, 3e-3, "normalized output has unit variance, up to eps/σ² = 1e-3 and float32 rounding of x - mean");
        }
    }

    [TestMethod]
    public void SingleValuePerChannelInTrainingThrowsLikePyTorch()
    {
        var bn = new BatchNorm1d(4);
        var act = () => bn.Forward(new Tensor(1, 4), training: true);
        act.Should().Throw<ArgumentException>().WithMessage("*more than 1 value per channel*");
        bn.Forward(new Tensor(1, 4), training: false).Shape.ToArray().Should().Equal(1, 4);
    }

    [TestMethod]
    public void ExposesParametersAndBuffersWithPyTorchDefaults()
    {
        var bn = new BatchNorm1d(3);
        bn.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        bn.Parameters.Should().OnlyContain(p => !p.IsWeight);
        bn.Weight!.Value.Span.ToArray().Should().Equal(1f, 1f, 1f);
        bn.Bias!.Value.Span.ToArray().Should().Equal(0f, 0f, 0f);
        bn.Buffers.Should().Equal(bn.RunningMean, bn.RunningVar);
        bn.RunningVar.Span.ToArray().Should().Equal(1f, 1f, 1f);
        new BatchNorm1d(3, affine: false).Parameters.Should().BeEmpty();
        var act = () => bn.Forward(new Tensor(4, 5), training: true);
        act.Should().Throw<ArgumentException>().WithMessage("BatchNorm1d expects (N, 3) or (N, 3, L) input, got (N, 5).");
    }

    private static void RandomizeAffine(BatchNorm1d bn, Rng rng)
    {
        TestTensors.Uniform(rng, [bn.NumFeatures], 1f, 0.2f).Span.CopyTo(bn.Weight!.Value.Span);
        TestTensors.Uniform(rng, [bn.NumFeatures]).Span.CopyTo(bn.Bias!.Value.Span);
    }
}
