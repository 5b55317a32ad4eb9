using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class BatchNorm2dTests
{
    private const double Rel = TensorAssert.ReductionRelative, Abs = TensorAssert.ReductionAbsolute;

    [TestMethod]
    public void MatchesPyTorchTrainingStepRunningStatisticsAndInference()
    {
        var f = Fixture.Load("batchnorm2d");
        Tensor x = f.Tensor("x");
        var bn = new BatchNorm2d(x.Dim(1), eps: f.Number("eps"), momentum: f.Number("momentum"));
        f.Tensor("weight").Span.CopyTo(bn.Weight!.Value.Span);
        f.Tensor("bias").Span.CopyTo(bn.Bias!.Value.Span);

        TensorAssert.Close(bn.Forward(x, training: true), f.Tensor("y"), Rel, Abs, "y");
        TensorAssert.Close(bn.Backward(f.Tensor("upstream"))!, f.Tensor("grad_x"), Rel, Abs, "grad_x");
        TensorAssert.Close(bn.Weight.Gradient, f.Tensor("grad_weight"), Rel, Abs, "grad_weight");
        TensorAssert.Close(bn.Bias.Gradient, f.Tensor("grad_bias"), Rel, Abs, "grad_bias");
        TensorAssert.Close(bn.RunningMean, f.Tensor("running_mean_after"), Rel, Abs, "running_mean");
        TensorAssert.Close(bn.RunningVar, f.Tensor("running_var_after"), Rel, Abs, "running_var (unbiased)");
        TensorAssert.Close(bn.Forward(f.Tensor("eval_x"), training: false), f.Tensor("eval_y"), Rel, Abs, "eval_y");
        TensorAssert.Close(bn.RunningMean, f.Tensor("running_mean_after"), Rel, Abs, "running_mean unchanged by inference");
    }

    [TestMethod]
    [DataRow(2, 3, 4, 5, true)]
    [DataRow(3, 2, 1, 7, true)]
    [DataRow(1, 4, 3, 3, true)]
    [DataRow(4, 1, 2, 2, true)]
    [DataRow(2, 3, 4, 5, false)]
    public void GradientsMatchFiniteDifferences(int n, int c, int h, int w, bool training)
    {
        var bn = new BatchNorm2d(c);
        var rng = new Rng((ulong)(n * 10 + c));
        TestTensors.Uniform(rng, [c], 1f, 0.2f).Span.CopyTo(bn.Weight!.Value.Span);
        TestTensors.Uniform(rng, [c]).Span.CopyTo(bn.Bias!.Value.Span);
        TestTensors.Uniform(rng, [c], 0.5f).Span.CopyTo(bn.RunningMean.Span);
        for (int i = 0; i < c; i++) bn.RunningVar[i] = 0.5f + i;
        GradientCheck.Check(bn, TestTensors.Uniform(new Rng(4), [n, c, h, w]), new GradientCheck.Options(Training: training));
    }

    [TestMethod]
    public void StatisticsRunOverBatchAndBothSpatialAxes()
    {
        // Channel 1 is channel 0 times 10 plus 7: both normalize to the same values; the running statistics are per channel.
        var rng = new Rng(6);
        var x = new Tensor(3, 2, 4, 5);
        for (int n = 0; n < 3; n++)
            for (int i = 0; i < 20; i++)
            {
                float v = (float)rng.NextGaussian();
                x[(n * 2) * 20 + i] = v;
                x[(n * 2 + 1) * 20 + i] = 10 * v + 7;
            }
        var bn = new BatchNorm2d(2, momentum: 1.0, eps: 1e-12);
        Tensor y = bn.Forward(x, training: true);
        for (int n = 0; n < 3; n++)
            for (int i = 0; i < 20; i++)
                y[(n * 2 + 1) * 20 + i].Should().BeApproximately(y[(n * 2) * 20 + i], 1e-4f);
        double mean0 = Enumerable.Range(0, 3).SelectMany(n => Enumerable.Range(0, 20).Select(i => (double)x[(n * 2) * 20 + i])).Average();
        bn.RunningMean[0].Should().BeApproximately((float)mean0, 1e-5f);
        bn.RunningMean[1].Should().BeApproximately((float)(10 * mean0 + 7), 1e-4f);
        bn.RunningVar[1].Should().BeApproximately(100 * bn.RunningVar[0], 1e-2f * bn.RunningVar[1]);
    }

    [TestMethod]
    public void ExposesPyTorchDefaultsAndRejectsOtherRanks()
    {
        var bn = new BatchNorm2d(3);
        bn.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        bn.Buffers.Should().Equal(bn.RunningMean, bn.RunningVar);
        bn.RunningVar.Span.ToArray().Should().Equal(1f, 1f, 1f);
        bn.GetOutputShape([3, 5, 6]).Should().Equal(3, 5, 6);
        var rank = () => bn.Forward(new Tensor(4, 3, 5), training: true);
        rank.Should().Throw<ArgumentException>().WithMessage("BatchNorm2d expects (N, 3, H, W) input, got (N, 3, 5).");
        var single = () => bn.Forward(new Tensor(1, 3, 1, 1), training: true);
        single.Should().Throw<ArgumentException>().WithMessage("*more than 1 value per channel*");
        bn.Forward(new Tensor(1, 3, 1, 2), training: true).Shape.ToArray().Should().Equal(1, 3, 1, 2);
    }
}
