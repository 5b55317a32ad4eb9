namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>
/// Step decay (PyTorch <c>torch.optim.lr_scheduler.StepLR</c>): the rate is multiplied by <c>gamma</c>
/// every <c>stepSize</c> epochs (or steps, see <see cref="LearningRateSchedule.Interval"/>).
/// </summary>
/// <remarks><c>lr(t) = base_lr · gamma^floor(t / stepSize)</c>.</remarks>
public sealed class StepLR : LearningRateSchedule
{
    /// <summary>Creates a step-decay schedule.</summary>
    /// <param name="stepSize">The period of the decay, in epochs or steps; must be ≥ 1.</param>
    /// <param name="gamma">The multiplicative factor; default 0.1. Must be finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public StepLR(int stepSize, double gamma = 0.1)
    {
        StepSize = ScheduleArguments.AtLeast(stepSize, 1, nameof(stepSize));
        Gamma = ScheduleArguments.Positive(gamma, nameof(gamma));
    }

    /// <summary>The period of the decay.</summary>
    public int StepSize { get; }

    /// <summary>The multiplicative factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative.</exception>
    public override float GetLearningRate(int t, float baseLearningRate)
    {
        ScheduleArguments.CheckTime(t);
        return (float)(baseLearningRate * Math.Pow(Gamma, t / StepSize));
    }
}
