namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>
/// The base learning rate at every epoch or step (no schedule). Not PyTorch's <c>ConstantLR</c>, which
/// multiplies the rate by a factor for a number of epochs.
/// </summary>
public sealed class ConstantSchedule : LearningRateSchedule
{
    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative.</exception>
    public override float GetLearningRate(int t, float baseLearningRate)
    {
        ScheduleArguments.CheckTime(t);
        return baseLearningRate;
    }
}
