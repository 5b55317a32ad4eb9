namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>
/// The 1cycle policy (Smith &amp; Topin 2018; PyTorch <c>torch.optim.lr_scheduler.OneCycleLR</c> 1.13): the rate
/// rises from <c>max_lr/div_factor</c> to <c>max_lr</c>, then anneals to <c>initial_lr/final_div_factor</c>.
/// Usually driven per optimizer step (<c>Interval = ScheduleInterval.Step</c>).
/// </summary>
/// <remarks>
/// <para>With <c>initial = max_lr/div_factor</c>, <c>min = initial/final_div_factor</c> and
/// <c>S = totalSteps</c>, the phases end at step</para>
/// <code>
/// two phases:    pct_start·S - 1 (initial → max_lr),  S - 1 (max_lr → min)
/// three phases:  pct_start·S - 1 (initial → max_lr),  2·pct_start·S - 2 (max_lr → initial),  S - 1 (initial → min)
/// </code>
/// <para>and within a phase from step <c>a</c> to <c>b</c> the rate is <c>anneal(start, end, (t - a)/(b - a))</c>.
/// The base rate is not used: <see cref="MaxLearningRate"/> sets the scale. As in PyTorch, <c>t</c> may reach
/// <c>totalSteps</c> (one call past the end, extrapolating the last phase) but not go beyond. PyTorch's
/// momentum cycling (<c>cycle_momentum</c>) is not part of this schedule.</para>
/// </remarks>
public sealed class OneCycleLR : LearningRateSchedule
{
    private readonly (double EndStep, double Start, double End)[] _phases;

    /// <summary>Creates a 1cycle schedule.</summary>
    /// <param name="maxLearningRate">The peak rate <c>max_lr</c>; finite and &gt; 0.</param>
    /// <param name="totalSteps">The length of the cycle in steps (or epochs); ≥ 1.</param>
    /// <param name="pctStart">The fraction of the cycle spent increasing the rate, in (0, 1) (in (0, 0.5) for three phases); default 0.3.</param>
    /// <param name="annealStrategy">Cosine (default) or linear annealing.</param>
    /// <param name="divFactor">The initial rate is <c>max_lr/div_factor</c>; default 25. Finite and &gt; 0.</param>
    /// <param name="finalDivFactor">The final rate is <c>initial/final_div_factor</c>; default 1e4. Finite and &gt; 0.</param>
    /// <param name="threePhase">Use the three-phase variant (symmetric warm-up and cool-down, then annihilation); default false.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public OneCycleLR(double maxLearningRate, int totalSteps, double pctStart = 0.3, AnnealStrategy annealStrategy = AnnealStrategy.Cosine,
        double divFactor = 25, double finalDivFactor = 1e4, bool threePhase = false)
    {
        MaxLearningRate = ScheduleArguments.Positive(maxLearningRate, nameof(maxLearningRate));
        TotalSteps = ScheduleArguments.AtLeast(totalSteps, 1, nameof(totalSteps));
        double pctLimit = threePhase ? 0.5 : 1.0;
        if (!(pctStart > 0 && pctStart < pctLimit))
            throw new ArgumentOutOfRangeException(nameof(pctStart), pctStart, $"pctStart must be in (0, {pctLimit}){(threePhase ? " for the three-phase schedule" : "")}.");
        if (!Enum.IsDefined(annealStrategy))
            throw new ArgumentOutOfRangeException(nameof(annealStrategy), annealStrategy, "Unknown anneal strategy.");
        PctStart = pctStart;
        AnnealStrategy = annealStrategy;
        DivFactor = ScheduleArguments.Positive(divFactor, nameof(divFactor));
        FinalDivFactor = ScheduleArguments.Positive(finalDivFactor, nameof(finalDivFactor));
        ThreePhase = threePhase;

        double initial = maxLearningRate / divFactor, min = initial / finalDivFactor;
        double warmupEnd = pctStart * totalSteps - 1;
        _phases = threePhase
            ? [(warmupEnd, initial, maxLearningRate), (2 * pctStart * totalSteps - 2, maxLearningRate, initial), (totalSteps - 1, initial, min)]
            : [(warmupEnd, initial, maxLearningRate), (totalSteps - 1, maxLearningRate, min)];
    }

    /// <summary>The peak rate.</summary>
    public double MaxLearningRate { get; }

    /// <summary>The length of the cycle.</summary>
    public int TotalSteps { get; }

    /// <summary>The fraction of the cycle spent increasing the rate.</summary>
    public double PctStart { get; }

    /// <summary>Cosine or linear annealing.</summary>
    public AnnealStrategy AnnealStrategy { get; }

    /// <summary>The initial rate is <see cref="MaxLearningRate"/> / <see cref="DivFactor"/>.</summary>
    public double DivFactor { get; }

    /// <summary>The final rate is the initial rate / <see cref="FinalDivFactor"/>.</summary>
    public double FinalDivFactor { get; }

    /// <summary>True for the three-phase variant.</summary>
    public bool ThreePhase { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="t"/> is negative or greater than <see cref="TotalSteps"/>.</exception>
    public override float GetLearningRate(int t, float baseLearningRate)
    {
        ScheduleArguments.CheckTime(t);
        if (t > TotalSteps)
            throw new ArgumentOutOfRangeException(nameof(t), t, $"OneCycleLR was asked for step {t} but its cycle has {TotalSteps} steps; create it with the run's total number of steps.");
        double startStep = 0;
        for (int i = 0; i < _phases.Length; i++)
        {
            var (endStep, start, end) = _phases[i];
            if (t <= endStep || i == _phases.Length - 1)
            {
                // A phase of zero length (e.g. pct_start·S = 1) is already complete.
                double pct = endStep == startStep ? 1.0 : (t - startStep) / (endStep - startStep);
                return (float)Anneal(start, end, pct);
            }
            startStep = endStep;
        }
        throw new InvalidOperationException("Unreachable: the last phase always matches.");
    }

    private double Anneal(double start, double end, double pct) =>
        AnnealStrategy == AnnealStrategy.Cosine
            ? end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1)
            : (end - start) * pct + start;
}
