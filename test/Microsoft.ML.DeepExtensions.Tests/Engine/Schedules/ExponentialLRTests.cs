using Microsoft.ML.DeepExtensions.Engine.Schedules;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

[TestClass]
public sealed class ExponentialLRTests
{
    [TestMethod]
    public void MatchesPyTorch() => ScheduleChecks.MatchesFixture(new ExponentialLR(0.9), "lr_exponential_gamma0.9");

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(-0.5)]
    [DataRow(double.PositiveInfinity)]
    public void RejectsInvalidGamma(double gamma) =>
        FluentActions.Invoking(() => new ExponentialLR(gamma)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("gamma");
}
