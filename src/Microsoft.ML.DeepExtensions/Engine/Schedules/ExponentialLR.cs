namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>
/// Exponential decay (PyTorch <c>torch.optim.lr_scheduler.ExponentialLR</c>): the rate is multiplied by
/// <c>gamma</c> every epoch (or step, see <see cref="LearningRateSchedule.Interval"/>).
/// </summary>
/// <remarks><c>lr(t) = base_lr · gamma^t</c>.</remarks>
public sealed class ExponentialLR : LearningRateSchedule
{
    /// <summary>Creates an exponential-decay schedule.</summary>
    /// <param name="gamma">The multiplicative factor per epoch or step; must be finite and &gt; 0 (usually just below 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> is not finite and &gt; 0.</exception>
    public ExponentialLR(double gamma)
    {
        Gamma = ScheduleArguments.Positive(gamma, nameof(gamma));
    }

    /// <summary>The multiplicative factor.</summary>
    public double Gamma { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative.</exception>
    public override float GetLearningRate(int t, float baseLearningRate)
    {
        ScheduleArguments.CheckTime(t);
        return (float)(baseLearningRate * Math.Pow(Gamma, t));
    }
}
