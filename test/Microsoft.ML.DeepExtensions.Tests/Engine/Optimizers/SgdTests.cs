using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

[TestClass]
public sealed class SgdTests
{
    [TestMethod]
    public void PlainSgdMatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_sgd_lr0.1", p => new Sgd(p, 0.1f));

    [TestMethod]
    public void CoupledWeightDecayMatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_sgd_lr0.1_wd0.01", p => new Sgd(p, 0.1f, weightDecay: 0.01f));

    [TestMethod]
    public void MomentumMatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_sgd_momentum0.9_lr0.05", p => new Sgd(p, 0.05f, momentum: 0.9f));

    [TestMethod]
    public void NesterovMatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_sgd_nesterov0.9_lr0.05", p => new Sgd(p, 0.05f, momentum: 0.9f, nesterov: true));

    [TestMethod]
    public void DampeningScalesLaterGradientsOnly()
    {
        // f(w) = w (gradient 1): b1 = 1, b2 = 0.5·1 + (1 - 0.25)·1 = 1.25; w = 0 - 0.1·(1 + 1.25).
        var p = new Parameter("w", new Tensor(1), isWeight: false);
        var sgd = new Sgd([p], 0.1f, momentum: 0.5f, dampening: 0.25f);
        for (int k = 0; k < 2; k++)
        {
            p.Gradient[0] = 1f;
            sgd.Step();
        }
        p.Value[0].Should().BeApproximately(-0.225f, 1e-7f);
    }

    [TestMethod]
    [DataRow(0f, false, false)]
    [DataRow(0.9f, false, false)]
    [DataRow(0.9f, true, true)]
    public void VectorPathMatchesScalarPath(float momentum, bool nesterov, bool decay) =>
        OptimizerChecks.VectorPathMatchesScalarPath(p => new Sgd(p, 0.05f, momentum, nesterov: nesterov, weightDecay: decay ? 0.1f : 0f));

    [TestMethod]
    public void ResetForgetsTheMomentumBuffer() =>
        OptimizerChecks.ResetRestartsLikeANewOptimizer(p => new Sgd(p, 0.05f, momentum: 0.9f));

    [TestMethod]
    public void RejectsInvalidHyperparameters()
    {
        var p = new[] { new Parameter("w", new Tensor(2), true) };
        FluentActions.Invoking(() => new Sgd(p, -0.1f)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Sgd(p, float.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new Sgd(p, 0.1f, momentum: -1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("momentum");
        FluentActions.Invoking(() => new Sgd(p, 0.1f, dampening: 2f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("dampening");
        FluentActions.Invoking(() => new Sgd(p, 0.1f, nesterov: true)).Should().Throw<ArgumentException>().WithMessage("*Nesterov*momentum > 0*");
        FluentActions.Invoking(() => new Sgd(p, 0.1f, momentum: 0.9f, dampening: 0.1f, nesterov: true)).Should().Throw<ArgumentException>().WithMessage("*dampening = 0*");
        FluentActions.Invoking(() => new Sgd(p, 0.1f, weightDecay: -0.01f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("WeightDecay");
        FluentActions.Invoking(() => new Sgd([p[0], null!], 0.1f)).Should().Throw<ArgumentException>().WithMessage("*1*null*");
    }
}
