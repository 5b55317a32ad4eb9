namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>
/// Linear warm-up followed by cosine decay (Goyal et al. 2017 warm-up; Loshchilov &amp; Hutter 2017 cosine),
/// the usual schedule for transformers and large-batch training.
/// </summary>
/// <remarks>
/// <para>With <c>W</c> warm-up and <c>T</c> total epochs (or steps, see <see cref="LearningRateSchedule.Interval"/>),
/// <c>lr_max</c> = the base rate and <c>lr_min</c> = <see cref="MinLearningRate"/>:</para>
/// <code>
/// t &lt; W:       lr = lr_max · t / W
/// W ≤ t ≤ T:   lr = lr_min + (lr_max - lr_min)·(1 + cos(π·(t - W)/(T - W))) / 2
/// t &gt; T:       lr = lr_min
/// </code>
/// <para>The rate starts at 0 (at <c>t = 0</c>), reaches <c>lr_max</c> at <c>t = W</c> and <c>lr_min</c> at
/// <c>t = T</c>, so the last epoch of a <c>T</c>-epoch run (<c>t = T - 1</c>) is just above <c>lr_min</c>.</para>
/// </remarks>
public sealed class WarmupCosineSchedule : LearningRateSchedule
{
    /// <summary>Creates a warm-up + cosine schedule.</summary>
    /// <param name="warmupEpochs">Length <c>W</c> of the linear warm-up, in epochs or steps; ≥ 0 (0 = no warm-up).</param>
    /// <param name="totalEpochs">Total length <c>T</c> of the schedule, in epochs or steps; must exceed <paramref name="warmupEpochs"/>.</param>
    /// <param name="minLearningRate">The final rate <c>lr_min</c>; default 0. Must be finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public WarmupCosineSchedule(int warmupEpochs, int totalEpochs, double minLearningRate = 0)
    {
        WarmupEpochs = ScheduleArguments.AtLeast(warmupEpochs, 0, nameof(warmupEpochs));
        if (totalEpochs <= warmupEpochs)
            throw new ArgumentOutOfRangeException(nameof(totalEpochs), totalEpochs, $"totalEpochs must exceed warmupEpochs ({warmupEpochs}).");
        TotalEpochs = totalEpochs;
        MinLearningRate = ScheduleArguments.NonNegative(minLearningRate, nameof(minLearningRate));
    }

    /// <summary>The warm-up length <c>W</c>.</summary>
    public int WarmupEpochs { get; }

    /// <summary>The total length <c>T</c>.</summary>
    public int TotalEpochs { get; }

    /// <summary>The final rate <c>lr_min</c>.</summary>
    public double MinLearningRate { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative.</exception>
    public override float GetLearningRate(int t, float baseLearningRate)
    {
        ScheduleArguments.CheckTime(t);
        if (t < WarmupEpochs)
            return (float)((double)baseLearningRate * t / WarmupEpochs);
        if (t >= TotalEpochs)
            return (float)MinLearningRate;
        double progress = (double)(t - WarmupEpochs) / (TotalEpochs - WarmupEpochs);
        return (float)(MinLearningRate + 0.5 * (baseLearningRate - MinLearningRate) * (1 + Math.Cos(Math.PI * progress)));
    }
}
