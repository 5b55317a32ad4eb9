using Microsoft.ML.DeepExtensions.Engine.Schedules;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

[TestClass]
public sealed class OneCycleLRTests
{
    [TestMethod]
    public void MatchesPyTorch() => ScheduleChecks.MatchesFixture(new OneCycleLR(0.1, 20), "lr_onecycle_max0.1_total20");

    [TestMethod]
    public void IgnoresTheBaseRate() =>
        new OneCycleLR(0.1, 20).GetLearningRate(5, 123f).Should().BeApproximately(0.1f, 1e-9f);

    [TestMethod]
    public void ThreePhaseReturnsToTheInitialRateBeforeAnnihilation()
    {
        // 100 steps, pct 0.25: initial 0.04 at 0, max 1 at 24, initial again at 48, 0.04/1e4 at 99.
        var schedule = new OneCycleLR(1.0, 100, pctStart: 0.25, threePhase: true) { Interval = ScheduleInterval.Step };
        schedule.GetLearningRate(0, 0f).Should().BeApproximately(0.04f, 1e-8f);
        schedule.GetLearningRate(24, 0f).Should().BeApproximately(1f, 1e-7f);
        schedule.GetLearningRate(36, 0f).Should().BeApproximately(0.52f, 1e-6f);
        schedule.GetLearningRate(48, 0f).Should().BeApproximately(0.04f, 1e-7f);
        schedule.GetLearningRate(99, 0f).Should().BeApproximately(4e-6f, 1e-10f);
    }

    [TestMethod]
    public void LinearAnnealingInterpolatesLinearly()
    {
        // Warm-up ends at step 0.5·10 - 1 = 4: from 0.1 to 1 in 4 steps.
        var schedule = new OneCycleLR(1.0, 10, pctStart: 0.5, annealStrategy: AnnealStrategy.Linear, divFactor: 10, finalDivFactor: 10);
        schedule.GetLearningRate(2, 0f).Should().BeApproximately(0.55f, 1e-7f);
        schedule.GetLearningRate(4, 0f).Should().BeApproximately(1f, 1e-7f);
        schedule.GetLearningRate(9, 0f).Should().BeApproximately(0.01f, 1e-8f);
    }

    [TestMethod]
    public void AllowsOneCallPastTheEndLikePyTorchButNoMore()
    {
        var schedule = new OneCycleLR(0.1, 20);
        float.IsFinite(schedule.GetLearningRate(20, 0f)).Should().BeTrue();
        schedule.Invoking(s => s.GetLearningRate(21, 0f)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*21*20 steps*");
    }

    [TestMethod]
    public void RejectsInvalidArguments()
    {
        FluentActions.Invoking(() => new OneCycleLR(0, 10)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxLearningRate");
        FluentActions.Invoking(() => new OneCycleLR(0.1, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("totalSteps");
        FluentActions.Invoking(() => new OneCycleLR(0.1, 10, pctStart: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("pctStart");
        FluentActions.Invoking(() => new OneCycleLR(0.1, 10, pctStart: 0.6, threePhase: true)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("pctStart");
        FluentActions.Invoking(() => new OneCycleLR(0.1, 10, divFactor: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("divFactor");
        FluentActions.Invoking(() => new OneCycleLR(0.1, 10, finalDivFactor: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("finalDivFactor");
        FluentActions.Invoking(() => new OneCycleLR(0.1, 10, annealStrategy: (AnnealStrategy)7)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
