namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>What one epoch of training measured (one row of the training history, Keras <c>History</c>).</summary>
/// <param name="Epoch">The 1-based epoch number.</param>
/// <param name="Loss">Mean training loss over the epoch's batches (weighted by example weights), measured during training (dropout on).</param>
/// <param name="Metric">The task metric on the training batches, or null when no metric is set.</param>
/// <param name="ValidationLoss">Loss on the validation data in inference mode, or null without validation data.</param>
/// <param name="ValidationMetric">The task metric on the validation data, or null.</param>
/// <param name="LearningRate">The learning rate at the end of the epoch.</param>
/// <param name="Duration">Wall-clock time of the epoch, validation included.</param>
/// <param name="MetricName">The task metric's name (e.g. <c>accuracy</c>), or null.</param>
public sealed record EpochMetrics(
    int Epoch,
    double Loss,
    double? Metric,
    double? ValidationLoss,
    double? ValidationMetric,
    double LearningRate,
    TimeSpan Duration,
    string? MetricName)
{
    /// <summary>A one-line summary in the style of Keras' progress output.</summary>
    public override string ToString()
    {
        var s = new System.Text.StringBuilder();
        s.Append(System.FormattableString.Invariant($"epoch {Epoch}: loss {Loss:G5}"));
        if (Metric is double m) s.Append(System.FormattableString.Invariant($", {MetricName} {m:G5}"));
        if (ValidationLoss is double vl) s.Append(System.FormattableString.Invariant($", val_loss {vl:G5}"));
        if (ValidationMetric is double vm) s.Append(System.FormattableString.Invariant($", val_{MetricName} {vm:G5}"));
        s.Append(System.FormattableString.Invariant($", lr {LearningRate:G4}, {Duration.TotalSeconds:F2}s"));
        return s.ToString();
    }
}

/// <summary>Why training ended.</summary>
public enum StopReason
{
    /// <summary>All epochs ran.</summary>
    Completed,

    /// <summary>Early stopping: the monitored quantity stopped improving for <c>Patience</c> epochs.</summary>
    EarlyStopping,

    /// <summary>The time budget ran out.</summary>
    TimeBudget,
}

/// <summary>The record of a training run: one <see cref="EpochMetrics"/> per epoch, and how it ended.</summary>
public sealed class TrainingHistory
{
    internal TrainingHistory(IReadOnlyList<EpochMetrics> epochs, StopReason stopReason, int? bestEpoch, bool restoredBestWeights)
    {
        Epochs = epochs;
        StopReason = stopReason;
        BestEpoch = bestEpoch;
        RestoredBestWeights = restoredBestWeights;
    }

    /// <summary>The per-epoch metrics, in order.</summary>
    public IReadOnlyList<EpochMetrics> Epochs { get; }

    /// <summary>Why training ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>The 1-based epoch with the best monitored value when early stopping was configured; otherwise null.</summary>
    public int? BestEpoch { get; }

    /// <summary>True when the returned weights are those of <see cref="BestEpoch"/> rather than of the last epoch.</summary>
    public bool RestoredBestWeights { get; }
}
