using Microsoft.ML.DeepExtensions.Engine.Schedules;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

[TestClass]
public sealed class ConstantScheduleTests
{
    [TestMethod]
    public void ReturnsTheBaseRateAtEveryTime()
    {
        var schedule = new ConstantSchedule { Interval = ScheduleInterval.Step };
        new[] { 0, 1, 1000, int.MaxValue }.Select(t => schedule.GetLearningRate(t, 0.03f)).Should().AllBeEquivalentTo(0.03f);
        schedule.Interval.Should().Be(ScheduleInterval.Step);
        new ConstantSchedule().Interval.Should().Be(ScheduleInterval.Epoch);
    }

    [TestMethod]
    public void RejectsNegativeTime() =>
        new ConstantSchedule().Invoking(s => s.GetLearningRate(-1, 0.1f)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("t");
}
