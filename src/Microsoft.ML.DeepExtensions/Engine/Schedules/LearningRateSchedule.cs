namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>When a schedule advances.</summary>
public enum ScheduleInterval
{
    /// <summary>Once per epoch; <c>t</c> counts epochs (PyTorch's usual <c>scheduler.step()</c> after each epoch).</summary>
    Epoch,

    /// <summary>Once per optimizer step (mini-batch); <c>t</c> counts steps.</summary>
    Step,
}

/// <summary>
/// A learning-rate schedule (PyTorch <c>torch.optim.lr_scheduler</c>, Keras
/// <c>LearningRateSchedule</c>): the learning rate to use at epoch or step <c>t</c>.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Whether <c>t</c> counts epochs or optimizer steps. Default <see cref="ScheduleInterval.Epoch"/>.</summary>
    public ScheduleInterval Interval { get; init; } = ScheduleInterval.Epoch;

    /// <summary>The learning rate for the 0-based epoch or step <paramref name="t"/>.</summary>
    /// <param name="t">0-based epoch or step index (see <see cref="Interval"/>).</param>
    /// <param name="baseLearningRate">The optimizer's initial learning rate.</param>
    public abstract float GetLearningRate(int t, float baseLearningRate);

    /// <summary>
    /// Called after each epoch with the monitored metric (e.g. validation loss), for schedules that
    /// react to it (reduce-on-plateau). Stateless schedules ignore it.
    /// </summary>
    public virtual void OnEpochEnd(int epoch, double monitoredValue) { }

    /// <summary>Clears any state so the schedule can drive a new run.</summary>
    public virtual void Reset() { }
}
