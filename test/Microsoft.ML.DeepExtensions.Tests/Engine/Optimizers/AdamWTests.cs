using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

[TestClass]
public sealed class AdamWTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        OptimizerChecks.MatchesFixtureTrajectory("optim_adamw_lr0.01_wd0.01", p => new AdamW(p, 0.01f, weightDecay: 0.01f));

    [TestMethod]
    public void DecayIsDecoupledFromTheGradient()
    {
        // With a zero gradient, Adam's moments stay 0 and only the shrink w·(1 - lr·wd) remains.
        var p = new Parameter("w", new Tensor([2f, -4f], 2), isWeight: false);
        var adamW = new AdamW([p], 0.1f, weightDecay: 0.5f);
        adamW.Step();
        p.Value.Span.ToArray().Should().Equal(2f * 0.95f, -4f * 0.95f);
    }

    [TestMethod]
    public void DefaultWeightDecayIsPyTorchs() => new AdamW([]).WeightDecay.Should().Be(0.01f);

    [TestMethod]
    public void VectorPathMatchesScalarPath() =>
        OptimizerChecks.VectorPathMatchesScalarPath(p => new AdamW(p, 0.01f, weightDecay: 0.1f));
}
