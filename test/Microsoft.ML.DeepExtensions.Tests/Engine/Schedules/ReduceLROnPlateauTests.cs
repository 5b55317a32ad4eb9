using Microsoft.ML.DeepExtensions.Engine.Schedules;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

[TestClass]
public sealed class ReduceLROnPlateauTests
{
    [TestMethod]
    public void MatchesPyTorchWithTheRateOfEachEpochSetBeforeItsMetric()
    {
        // lr_per_epoch[e] is the rate used during epoch e: it reflects metrics 0..e-1 only
        // (e.g. the third bad epoch is epoch 5, and the halved rate first appears at epoch 6).
        var f = Fixture.Load("lr_reduce_on_plateau_patience2_factor0.5");
        var schedule = new ReduceLROnPlateau(PlateauMode.Min, f.Number("factor"), (int)f.Number("patience"), f.Number("threshold"), PlateauThresholdMode.Relative);
        double[] metrics = f.Doubles("metric_per_epoch");
        double[] expected = f.Doubles("lr_per_epoch");
        float baseRate = (float)f.Number("base_lr");

        var actual = new float[metrics.Length];
        for (int e = 0; e < metrics.Length; e++)
        {
            actual[e] = schedule.GetLearningRate(e, baseRate);
            schedule.OnEpochEnd(e, metrics[e]);
        }

        TensorAssert.Close(actual, expected.Select(x => (float)x).ToArray(), TensorAssert.ElementwiseRelative, 1e-9, "lr_per_epoch");
        // Epochs 17-19 are bad too: the metric of the last epoch triggers a 4th reduction, for an epoch 20.
        schedule.ReductionCount.Should().Be(4);
        schedule.GetLearningRate(20, baseRate).Should().BeApproximately(0.00625f, 1e-9f);
        schedule.BestValue.Should().Be(0.7);
    }

    [TestMethod]
    public void MaxModeWaitsForTheMetricToRise()
    {
        var schedule = new ReduceLROnPlateau(PlateauMode.Max, factor: 0.5, patience: 1);
        foreach (double accuracy in new[] { 0.5, 0.6, 0.6, 0.59 }) schedule.OnEpochEnd(0, accuracy);
        schedule.GetLearningRate(0, 1f).Should().Be(0.5f);
    }

    [TestMethod]
    public void AbsoluteThresholdIgnoresSmallImprovements()
    {
        var schedule = new ReduceLROnPlateau(factor: 0.5, patience: 0, threshold: 0.1, thresholdMode: PlateauThresholdMode.Absolute);
        schedule.OnEpochEnd(0, 1.0);
        schedule.OnEpochEnd(1, 0.95);
        schedule.GetLearningRate(2, 1f).Should().Be(0.5f, "0.95 is not below 1.0 - 0.1");
        schedule.OnEpochEnd(2, 0.85);
        schedule.GetLearningRate(3, 1f).Should().Be(0.5f, "0.85 is below 1.0 - 0.1");
    }

    [TestMethod]
    public void CooldownSuspendsCountingAfterAReduction()
    {
        var schedule = new ReduceLROnPlateau(factor: 0.5, patience: 0, cooldown: 2);
        schedule.OnEpochEnd(0, 1.0);
        schedule.OnEpochEnd(1, 1.0);
        schedule.ReductionCount.Should().Be(1);
        schedule.OnEpochEnd(2, 1.0);
        schedule.OnEpochEnd(3, 1.0);
        schedule.ReductionCount.Should().Be(1, "two cooldown epochs");
        schedule.OnEpochEnd(4, 1.0);
        schedule.ReductionCount.Should().Be(2);
    }

    [TestMethod]
    public void NeverGoesBelowTheMinimumRate()
    {
        var schedule = new ReduceLROnPlateau(factor: 0.1, patience: 0, minLearningRate: 0.003);
        for (int e = 0; e < 10; e++) schedule.OnEpochEnd(e, 1.0);
        schedule.GetLearningRate(10, 0.1f).Should().Be(0.003f);
    }

    [TestMethod]
    public void NaNMetricsCountAsBadEpochs()
    {
        var schedule = new ReduceLROnPlateau(factor: 0.5, patience: 1);
        schedule.OnEpochEnd(0, 1.0);
        schedule.OnEpochEnd(1, double.NaN);
        schedule.OnEpochEnd(2, double.NaN);
        schedule.GetLearningRate(3, 1f).Should().Be(0.5f);
    }

    [TestMethod]
    public void ResetForgetsTheRun()
    {
        var schedule = new ReduceLROnPlateau(factor: 0.5, patience: 0);
        schedule.OnEpochEnd(0, 1.0);
        schedule.OnEpochEnd(1, 2.0);
        schedule.GetLearningRate(2, 1f).Should().Be(0.5f);
        schedule.Reset();
        schedule.GetLearningRate(0, 1f).Should().Be(1f);
        schedule.BestValue.Should().Be(double.PositiveInfinity);
        schedule.OnEpochEnd(0, 5.0);
        schedule.ReductionCount.Should().Be(0, "the best value was forgotten");
    }

    [TestMethod]
    public void RejectsInvalidArguments()
    {
        FluentActions.Invoking(() => new ReduceLROnPlateau(factor: 1.0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("factor");
        FluentActions.Invoking(() => new ReduceLROnPlateau(factor: 0)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("factor");
        FluentActions.Invoking(() => new ReduceLROnPlateau(patience: -1)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("patience");
        FluentActions.Invoking(() => new ReduceLROnPlateau(threshold: -1e-4)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("threshold");
        FluentActions.Invoking(() => new ReduceLROnPlateau(cooldown: -2)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("cooldown");
        FluentActions.Invoking(() => new ReduceLROnPlateau(minLearningRate: double.NaN)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("minLearningRate");
        FluentActions.Invoking(() => new ReduceLROnPlateau((PlateauMode)5)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("mode");
    }
}
