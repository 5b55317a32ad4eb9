namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>
/// Cosine annealing (Loshchilov &amp; Hutter 2017, SGDR without restarts; PyTorch
/// <c>torch.optim.lr_scheduler.CosineAnnealingLR</c>).
/// </summary>
/// <remarks>
/// <c>lr(t) = eta_min + (base_lr - eta_min)·(1 + cos(π·t / T_max)) / 2</c>: from the base rate at <c>t = 0</c>
/// down to <c>eta_min</c> at <c>t = T_max</c>. Past <c>T_max</c> the cosine continues (the rate rises again),
/// as PyTorch's closed form does; choose <c>T_max</c> = the number of epochs (or steps) of the run.
/// </remarks>
public sealed class CosineAnnealingLR : LearningRateSchedule
{
    /// <summary>Creates a cosine-annealing schedule.</summary>
    /// <param name="tMax">Half-period <c>T_max</c> in epochs or steps; must be ≥ 1.</param>
    /// <param name="etaMin">The minimum rate <c>eta_min</c>; default 0. Must be finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public CosineAnnealingLR(int tMax, double etaMin = 0)
    {
        TMax = ScheduleArguments.AtLeast(tMax, 1, nameof(tMax));
        EtaMin = ScheduleArguments.NonNegative(etaMin, nameof(etaMin));
    }

    /// <summary>The half-period <c>T_max</c>.</summary>
    public int TMax { get; }

    /// <summary>The minimum rate <c>eta_min</c>.</summary>
    public double EtaMin { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative.</exception>
    public override float GetLearningRate(int t, float baseLearningRate)
    {
        ScheduleArguments.CheckTime(t);
        return (float)(EtaMin + (baseLearningRate - EtaMin) * (1 + Math.Cos(Math.PI * t / TMax)) / 2);
    }
}
