using Microsoft.ML.DeepExtensions.Engine.Schedules;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

[TestClass]
public sealed class StepLRTests
{
    [TestMethod]
    public void MatchesPyTorch() => ScheduleChecks.MatchesFixture(new StepLR(5, 0.5), "lr_step_size5_gamma0.5");

    [TestMethod]
    public void WorksPerStep() =>
        new StepLR(100, 0.1) { Interval = ScheduleInterval.Step }.GetLearningRate(250, 1f).Should().BeApproximately(0.01f, 1e-9f);

    [TestMethod]
    public void RejectsInvalidArguments()
    {
        FluentActions.Invoking(() => new StepLR(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("stepSize");
        FluentActions.Invoking(() => new StepLR(5, 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gamma");
        FluentActions.Invoking(() => new StepLR(5, double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gamma");
        new StepLR(5).Invoking(s => s.GetLearningRate(-3, 0.1f)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
