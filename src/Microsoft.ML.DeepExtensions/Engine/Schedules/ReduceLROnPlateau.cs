namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>
/// Reduces the rate when a monitored metric stops improving (PyTorch
/// <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c> 1.13, Keras <c>ReduceLROnPlateau</c>).
/// </summary>
/// <remarks>
/// <para><b>Protocol.</b> The training loop reports the metric of each finished epoch through
/// <see cref="OnEpochEnd"/>; <see cref="GetLearningRate"/> returns the current (possibly reduced) rate and
/// ignores <c>t</c>. So the rate used during epoch <c>e</c> reflects the metrics of epochs <c>0 … e-1</c>: the
/// metric of epoch <c>e</c> can only lower the rate from epoch <c>e + 1</c> on (PyTorch's
/// <c>scheduler.step(val_loss)</c> after each epoch).</para>
/// <para><b>Rule.</b> A metric <c>m</c> improves on the best value <c>b</c> when (mode min) <c>m &lt; b·(1 - threshold)</c>
/// (relative) or <c>m &lt; b - threshold</c> (absolute); in mode max, <c>m &gt; b·(1 + threshold)</c> or
/// <c>m &gt; b + threshold</c>. Otherwise (NaN included) the epoch is bad. After more than <c>patience</c>
/// consecutive bad epochs the rate becomes <c>max(lr·factor, min_lr)</c> (unchanged if that lowers it by at most
/// 1e-8), the bad-epoch count restarts and the next <c>cooldown</c> epochs are not counted as bad.</para>
/// <para>Stateful: call <see cref="Reset"/> before driving a new run.</para>
/// </remarks>
public sealed class ReduceLROnPlateau : LearningRateSchedule
{
    private const double MinimumDecrease = 1e-8;
    private int _badEpochs;
    private int _cooldownCounter;
    private float _cachedBase = float.NaN;
    private int _cachedReductions = -1;
    private float _cachedRate;

    /// <summary>Creates a reduce-on-plateau schedule.</summary>
    /// <param name="mode">Whether lower (<see cref="PlateauMode.Min"/>, default) or higher values are better.</param>
    /// <param name="factor">The rate is multiplied by this factor on a plateau; in (0, 1), default 0.1.</param>
    /// <param name="patience">The number of bad epochs tolerated before reducing; ≥ 0, default 10.</param>
    /// <param name="threshold">The smallest change that counts as an improvement; finite and ≥ 0, default 1e-4.</param>
    /// <param name="thresholdMode">Relative (default) or absolute threshold.</param>
    /// <param name="cooldown">Epochs after a reduction during which bad epochs are not counted; ≥ 0, default 0.</param>
    /// <param name="minLearningRate">The rate never goes below this; finite and ≥ 0, default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ReduceLROnPlateau(PlateauMode mode = PlateauMode.Min, double factor = 0.1, int patience = 10, double threshold = 1e-4,
        PlateauThresholdMode thresholdMode = PlateauThresholdMode.Relative, int cooldown = 0, double minLearningRate = 0)
    {
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown plateau mode.");
        if (!Enum.IsDefined(thresholdMode))
            throw new ArgumentOutOfRangeException(nameof(thresholdMode), thresholdMode, "Unknown threshold mode.");
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "factor must be in (0, 1).");
        Mode = mode;
        Factor = factor;
        Patience = ScheduleArguments.AtLeast(patience, 0, nameof(patience));
        Threshold = ScheduleArguments.NonNegative(threshold, nameof(threshold));
        ThresholdMode = thresholdMode;
        Cooldown = ScheduleArguments.AtLeast(cooldown, 0, nameof(cooldown));
        MinLearningRate = ScheduleArguments.NonNegative(minLearningRate, nameof(minLearningRate));
        Reset();
    }

    /// <summary>Whether lower or higher metric values are better.</summary>
    public PlateauMode Mode { get; }

    /// <summary>The reduction factor.</summary>
    public double Factor { get; }

    /// <summary>The number of bad epochs tolerated before reducing.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double Threshold { get; }

    /// <summary>Relative or absolute threshold.</summary>
    public PlateauThresholdMode ThresholdMode { get; }

    /// <summary>Epochs after a reduction during which bad epochs are not counted.</summary>
    public int Cooldown { get; }

    /// <summary>The floor of the rate.</summary>
    public double MinLearningRate { get; }

    /// <summary>The best metric reported so far (+∞ in mode min, -∞ in mode max before any report).</summary>
    public double BestValue { get; private set; }

    /// <summary>How many times a plateau has triggered a reduction.</summary>
    public int ReductionCount { get; private set; }

    /// <summary>The current rate: the base rate reduced <see cref="ReductionCount"/> times; <paramref name="t"/> is ignored.</summary>
    /// <param name="t">Ignored (the rate depends on the reported metrics only).</param>
    /// <param name="baseLearningRate">The optimizer's initial rate.</param>
    public override float GetLearningRate(int t, float baseLearningRate)
    {
        if (baseLearningRate != _cachedBase || ReductionCount != _cachedReductions)
        {
            double lr = baseLearningRate;
            for (int i = 0; i < ReductionCount; i++)
            {
                double reduced = Math.Max(lr * Factor, MinLearningRate);
                if (lr - reduced > MinimumDecrease) lr = reduced;
            }
            _cachedBase = baseLearningRate;
            _cachedReductions = ReductionCount;
            _cachedRate = (float)lr;
        }
        return _cachedRate;
    }

    /// <summary>Reports the metric of a finished epoch; may reduce the rate used from the next epoch on.</summary>
    /// <param name="epoch">The 0-based epoch that just finished (informational).</param>
    /// <param name="monitoredValue">The metric (e.g. validation loss); NaN counts as no improvement.</param>
    public override void OnEpochEnd(int epoch, double monitoredValue)
    {
        if (IsBetter(monitoredValue))
        {
            BestValue = monitoredValue;
            _badEpochs = 0;
        }
        else
        {
            _badEpochs++;
        }

        if (_cooldownCounter > 0)
        {
            _cooldownCounter--;
            _badEpochs = 0;
        }

        if (_badEpochs > Patience)
        {
            ReductionCount++;
            _cooldownCounter = Cooldown;
            _badEpochs = 0;
        }
    }

    /// <summary>Forgets the reported metrics and reductions.</summary>
    public override void Reset()
    {
        BestValue = Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;
        ReductionCount = 0;
        _badEpochs = 0;
        _cooldownCounter = 0;
    }

    private bool IsBetter(double value) => (Mode, ThresholdMode) switch
    {
        (PlateauMode.Min, PlateauThresholdMode.Relative) => value < BestValue * (1 - Threshold),
        (PlateauMode.Min, _) => value < BestValue - Threshold,
        (PlateauMode.Max, PlateauThresholdMode.Relative) => value > BestValue * (Threshold + 1),
        _ => value > BestValue + Threshold,
    };
}
