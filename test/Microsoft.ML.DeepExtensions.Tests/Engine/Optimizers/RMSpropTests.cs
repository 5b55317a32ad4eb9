using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

[TestClass]
public sealed class RMSpropTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_rmsprop_lr0.01", p => new RMSprop(p, 0.01f));

    [TestMethod]
    [DataRow(false, 0f, 0f)]
    [DataRow(true, 0f, 0f)]
    [DataRow(false, 0.9f, 0f)]
    [DataRow(true, 0.5f, 0.1f)]
    public void FollowsTheReferenceRule(bool centered, float momentum, float weightDecay)
    {
        const double lr = 0.01, alpha = 0.9, eps = 1e-8;
        double w = 1.3, c = 0.7, d = -0.2, s = 0, a = 0, b = 0;
        var p = new Parameter("w", new Tensor([(float)w], 1), isWeight: false);
        var rms = new RMSprop([p], (float)lr, (float)alpha, (float)eps, momentum, centered, weightDecay);
        for (int k = 0; k < 4; k++)
        {
            p.Gradient[0] = (float)(2 * c * p.Value[0] + d);
            rms.Step();
            double g = 2 * c * w + d + weightDecay * w;
            s = alpha * s + (1 - alpha) * g * g;
            double variance = s;
            if (centered)
            {
                a = alpha * a + (1 - alpha) * g;
                variance -= a * a;
            }
            double step = g / (Math.Sqrt(variance) + eps);
            if (momentum > 0) step = b = momentum * b + step;
            w -= lr * step;
            p.Value[0].Should().BeApproximately((float)w, 1e-5f, $"step {k}");
        }
    }

    [TestMethod]
    [DataRow(false, 0f)]
    [DataRow(true, 0.9f)]
    public void VectorPathMatchesScalarPath(bool centered, float momentum) =>
        OptimizerChecks.VectorPathMatchesScalarPath(p => new RMSprop(p, 0.01f, momentum: momentum, centered: centered, weightDecay: 0.01f));

    [TestMethod]
    public void ResetForgetsTheAverages() =>
        OptimizerChecks.ResetRestartsLikeANewOptimizer(p => new RMSprop(p, 0.01f, momentum: 0.5f, centered: true));

    [TestMethod]
    public void RejectsInvalidHyperparameters()
    {
        Parameter[] p = [];
        FluentActions.Invoking(() => new RMSprop(p, alpha: 1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("alpha");
        FluentActions.Invoking(() => new RMSprop(p, momentum: -0.5f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("momentum");
        FluentActions.Invoking(() => new RMSprop(p, epsilon: float.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("epsilon");
    }
}
