using Microsoft.ML.DeepExtensions.Engine.Schedules;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

[TestClass]
public sealed class WarmupCosineScheduleTests
{
    [TestMethod]
    public void MatchesTheFixtureFormula()
    {
        var f = Fixture.Load("lr_warmup3_cosine_T20");
        var schedule = new WarmupCosineSchedule((int)f.Number("warmup_epochs"), (int)f.Number("total_epochs"), f.Number("lr_min"));
        ScheduleChecks.MatchesFixture(schedule, "lr_warmup3_cosine_T20", (float)f.Number("lr_max"));
    }

    [TestMethod]
    public void StaysAtTheMinimumAfterTheEnd()
    {
        var schedule = new WarmupCosineSchedule(2, 10, 0.001) { Interval = ScheduleInterval.Step };
        schedule.GetLearningRate(10, 0.1f).Should().BeApproximately(0.001f, 1e-9f);
        schedule.GetLearningRate(500, 0.1f).Should().Be(0.001f);
    }

    [TestMethod]
    public void WithoutWarmupStartsAtTheBaseRate() =>
        new WarmupCosineSchedule(0, 10).GetLearningRate(0, 0.1f).Should().Be(0.1f);

    [TestMethod]
    public void RejectsInvalidArguments()
    {
        FluentActions.Invoking(() => new WarmupCosineSchedule(-1, 10)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("warmupEpochs");
        FluentActions.Invoking(() => new WarmupCosineSchedule(10, 10)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("totalEpochs");
        FluentActions.Invoking(() => new WarmupCosineSchedule(1, 10, -0.1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minLearningRate");
    }
}
