namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>The quantity early stopping and plateau schedules watch.</summary>
public enum MonitoredQuantity
{
    /// <summary>The validation loss (Keras <c>val_loss</c>); falls back to the training loss without validation data.</summary>
    ValidationLoss,

    /// <summary>The validation metric (Keras <c>val_accuracy</c> etc.); falls back to the training metric without validation data.</summary>
    ValidationMetric,

    /// <summary>The training loss (Keras <c>loss</c>).</summary>
    Loss,

    /// <summary>The training metric.</summary>
    Metric,
}

/// <summary>Whether lower or higher monitored values are better.</summary>
public enum MonitorMode
{
    /// <summary>Losses: min; metrics: the metric's <see cref="IMetric.HigherIsBetter"/>.</summary>
    Auto,

    /// <summary>Lower is better.</summary>
    Min,

    /// <summary>Higher is better.</summary>
    Max,
}

/// <summary>
/// Early stopping (Keras <c>callbacks.EarlyStopping</c>): stop when the monitored quantity has not improved by
/// more than <see cref="MinDelta"/> for <see cref="Patience"/> consecutive epochs, and restore the weights of the
/// best epoch.
/// </summary>
/// <remarks>
/// An epoch improves on the best value <c>b</c> when its value <c>v</c> satisfies <c>v &lt; b − MinDelta</c> (min mode)
/// or <c>v &gt; b + MinDelta</c> (max mode). With <see cref="RestoreBestWeights"/> (default true) the network
/// returned holds the parameters and buffers of the best epoch, also when training ends because all epochs ran
/// or the time budget ran out.
/// </remarks>
public sealed class EarlyStopping
{
    /// <summary>The quantity to watch. Default <see cref="MonitoredQuantity.ValidationLoss"/>.</summary>
    public MonitoredQuantity Monitor { get; init; } = MonitoredQuantity.ValidationLoss;

    /// <summary>Min, max or auto. Default <see cref="MonitorMode.Auto"/>.</summary>
    public MonitorMode Mode { get; init; } = MonitorMode.Auto;

    /// <summary>Epochs without improvement before stopping (≥ 0). Default 5.</summary>
    public int Patience { get; init; } = 5;

    /// <summary>The smallest change that counts as an improvement (≥ 0). Default 0.</summary>
    public double MinDelta { get; init; }

    /// <summary>Restore the best epoch's weights at the end. Default true.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    internal void Validate()
    {
        if (Patience < 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be >= 0.");
        if (!(MinDelta >= 0)) throw new ArgumentOutOfRangeException(nameof(MinDelta), MinDelta, "MinDelta must be a finite value >= 0.");
    }
}
