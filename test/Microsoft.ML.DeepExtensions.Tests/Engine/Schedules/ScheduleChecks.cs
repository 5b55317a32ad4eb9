using Microsoft.ML.DeepExtensions.Engine.Schedules;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Schedules;

/// <summary>Compares a schedule with a fixture's <c>lr_per_epoch</c>.</summary>
internal static class ScheduleChecks
{
    /// <summary>The rate of every epoch matches the fixture (1e-5 relative + 1e-9 absolute, the rates being small).</summary>
    public static void MatchesFixture(LearningRateSchedule schedule, string fixtureName, float baseLearningRate = 0.1f)
    {
        var f = Fixture.Load(fixtureName);
        double[] expected = f.Doubles("lr_per_epoch");
        float[] actual = Enumerable.Range(0, expected.Length).Select(e => schedule.GetLearningRate(e, baseLearningRate)).ToArray();
        TensorAssert.Close(actual, expected.Select(x => (float)x).ToArray(), TensorAssert.ElementwiseRelative, 1e-9, fixtureName);
    }
}
