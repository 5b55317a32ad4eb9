using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

[TestClass]
public sealed class AdamTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_adam_lr0.01", p => new Adam(p, 0.01f));

    [TestMethod]
    public void CoupledWeightDecayMatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_adam_lr0.01_wd0.01", p => new Adam(p, 0.01f, weightDecay: 0.01f));

    [TestMethod]
    public void AmsGradUsesTheRunningMaximumOfTheSecondMoment()
    {
        // Gradients 4 then 1 with β2 = 0.5: v = 8 then 4.5, so AMSGrad keeps v̂ = 8 at step 2.
        double[] grads = [4, 1];
        double m = 0, v = 0, vMax = 0, wAms = 0, wPlain = 0;
        var ams = new Parameter("w", new Tensor(1), isWeight: false);
        var plain = new Parameter("w", new Tensor(1), isWeight: false);
        var adamAms = new Adam([ams], 0.1f, beta1: 0.5f, beta2: 0.5f, epsilon: 0f, amsgrad: true);
        var adamPlain = new Adam([plain], 0.1f, beta1: 0.5f, beta2: 0.5f, epsilon: 0f);
        for (int t = 1; t <= 2; t++)
        {
            ams.Gradient[0] = plain.Gradient[0] = (float)grads[t - 1];
            adamAms.Step();
            adamPlain.Step();
            m = 0.5 * m + 0.5 * grads[t - 1];
            v = 0.5 * v + 0.5 * grads[t - 1] * grads[t - 1];
            vMax = Math.Max(vMax, v);
            double stepSize = 0.1 / (1 - Math.Pow(0.5, t)), correction = Math.Sqrt(1 - Math.Pow(0.5, t));
            wAms -= stepSize * m / (Math.Sqrt(vMax) / correction);
            wPlain -= stepSize * m / (Math.Sqrt(v) / correction);
        }
        ams.Value[0].Should().BeApproximately((float)wAms, 1e-6f);
        plain.Value[0].Should().BeApproximately((float)wPlain, 1e-6f);
        ams.Value[0].Should().BeGreaterThan(plain.Value[0] + 0.01f, "the running maximum makes the second step smaller");
    }

    [TestMethod]
    [DataRow(false, 0f)]
    [DataRow(true, 0.05f)]
    public void VectorPathMatchesScalarPath(bool amsgrad, float weightDecay) =>
        OptimizerChecks.VectorPathMatchesScalarPath(p => new Adam(p, 0.01f, weightDecay: weightDecay, amsgrad: amsgrad));

    [TestMethod]
    public void ResetForgetsTheMoments() =>
        OptimizerChecks.ResetRestartsLikeANewOptimizer(p => new Adam(p, 0.05f));

    [TestMethod]
    public void DefaultsArePyTorchs()
    {
        var adam = new Adam([]);
        adam.LearningRate.Should().Be(1e-3f);
        adam.Beta1.Should().Be(0.9f);
        adam.Beta2.Should().Be(0.999f);
        adam.Epsilon.Should().Be(1e-8f);
        adam.WeightDecay.Should().Be(0f);
        adam.AmsGrad.Should().BeFalse();
    }

    [TestMethod]
    public void RejectsInvalidHyperparameters()
    {
        Parameter[] p = [];
        FluentActions.Invoking(() => new Adam(p, beta1: 1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("beta1");
        FluentActions.Invoking(() => new Adam(p, beta2: -0.1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("beta2");
        FluentActions.Invoking(() => new Adam(p, epsilon: -1e-8f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon");
        FluentActions.Invoking(() => new Adam(p, weightDecay: float.PositiveInfinity)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
