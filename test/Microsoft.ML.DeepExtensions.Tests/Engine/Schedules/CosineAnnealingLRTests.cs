using Microsoft.ML.DeepExtensions.Engine.Schedules;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

[TestClass]
public sealed class CosineAnnealingLRTests
{
    [TestMethod]
    public void MatchesPyTorch() => ScheduleChecks.MatchesFixture(new CosineAnnealingLR(20, 0.001), "lr_cosine_annealing_Tmax20_etamin0.001");

    [TestMethod]
    public void ReachesEtaMinAtTMaxAndRisesAfterwards()
    {
        var schedule = new CosineAnnealingLR(10, 0.01);
        schedule.GetLearningRate(10, 1f).Should().BeApproximately(0.01f, 1e-7f);
        schedule.GetLearningRate(15, 1f).Should().BeApproximately(0.505f, 1e-6f);
        schedule.GetLearningRate(20, 1f).Should().BeApproximately(1f, 1e-6f);
    }

    [TestMethod]
    public void RejectsInvalidArguments()
    {
        FluentActions.Invoking(() => new CosineAnnealingLR(0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("tMax");
        FluentActions.Invoking(() => new CosineAnnealingLR(10, -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("etaMin");
    }
}
