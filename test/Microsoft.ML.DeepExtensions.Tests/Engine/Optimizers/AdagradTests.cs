using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

[TestClass]
public sealed class AdagradTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_adagrad_lr0.1", p => new Adagrad(p, 0.1f));

    [TestMethod]
    public void LearningRateDecayAndInitialAccumulatorFollowTheReferenceRule()
    {
        const double lr = 0.1, decay = 0.5, init = 0.25, eps = 1e-10;
        double w = -0.8, c = 0.6, d = 0.3, s = init;
        var p = new Parameter("w", new Tensor([(float)w], 1), isWeight: false);
        var adagrad = new Adagrad([p], (float)lr, (float)decay, (float)eps, (float)init);
        for (int t = 1; t <= 4; t++)
        {
            p.Gradient[0] = (float)(2 * c * p.Value[0] + d);
            adagrad.Step();
            double g = 2 * c * w + d;
            s += g * g;
            w -= lr / (1 + (t - 1) * decay) * g / (Math.Sqrt(s) + eps);
            p.Value[0].Should().BeApproximately((float)w, 1e-6f, $"step {t}");
        }
    }

    [TestMethod]
    public void VectorPathMatchesScalarPath() =>
        OptimizerChecks.VectorPathMatchesScalarPath(p => new Adagrad(p, 0.1f, 0.1f, weightDecay: 0.01f));

    [TestMethod]
    public void ResetRestoresTheInitialAccumulator() =>
        OptimizerChecks.ResetRestartsLikeANewOptimizer(p => new Adagrad(p, 0.1f, initialAccumulatorValue: 0.5f));

    [TestMethod]
    public void RejectsInvalidHyperparameters()
    {
        Parameter[] p = [];
        FluentActions.Invoking(() => new Adagrad(p, learningRateDecay: -1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("learningRateDecay");
        FluentActions.Invoking(() => new Adagrad(p, initialAccumulatorValue: -1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("initialAccumulatorValue");
    }
}
