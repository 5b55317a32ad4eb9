using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Schedules;

namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>Settings of one <see cref="TrainingLoop"/> run (the arguments of Keras' <c>fit</c>).</summary>
public sealed class TrainingOptions
{
    /// <summary>Passes over the training data (≥ 1). Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>
    /// Examples per mini-batch (≥ 1); the last batch of an epoch may be smaller (with <see cref="InMemoryDataset"/>, a
    /// last batch of one example is merged into the one before). Default 32.
    /// </summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Shuffle the training data before each epoch. Default true.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Seed of the shuffling order: epoch <c>e</c> uses <c>new Rng(Seed).Fork(e)</c>. Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>The learning-rate schedule, or null for a constant learning rate.</summary>
    public LearningRateSchedule? Schedule { get; init; }

    /// <summary>Clip gradients so that their global L2 norm is at most this (PyTorch <c>clip_grad_norm_</c>); null for none.</summary>
    public float? ClipGradientNorm { get; init; }

    /// <summary>Clip every gradient element to [−v, v] (PyTorch <c>clip_grad_value_</c>); null for none.</summary>
    public float? ClipGradientValue { get; init; }

    /// <summary>
    /// Treat training as diverged (<see cref="TrainingDivergedException"/>) when a batch loss exceeds this factor times
    /// <c>max(1, L₀)</c>, <c>L₀</c> being the first batch's loss: a loss that grew a millionfold is an exploded run even
    /// while it is still finite (e.g. Adam with a huge learning rate, whose bounded steps keep the loss finite but
    /// useless). Null to stop only on non-finite values. Default 1e6.
    /// </summary>
    public double? DivergenceFactor { get; init; } = 1e6;

    /// <summary>Early stopping, or null to train all epochs.</summary>
    public EarlyStopping? EarlyStopping { get; init; }

    /// <summary>Augments each training batch before the forward pass (never validation data), or null. Default null.</summary>
    public IBatchAugmenter? Augmenter { get; init; }

    /// <summary>
    /// The lengths object the network's sequence layers read (see <see cref="SequenceLengths"/>), or null. When set,
    /// the loop copies the lengths of every batch that carries them (<see cref="Batch.HasLengths"/>) into it before the
    /// forward pass, in training and in validation. Batches without lengths leave it untouched (e.g. for an
    /// <see cref="Embedding"/> that derives the lengths from padding). Default null.
    /// </summary>
    public SequenceLengths? SequenceLengths { get; init; }

    /// <summary>The task metric measured each epoch (e.g. <see cref="AccuracyMetric"/>), or null.</summary>
    public IMetric? Metric { get; init; }

    /// <summary>Called after every epoch with its metrics (progress reporting).</summary>
    public Action<EpochMetrics>? OnEpochEnd { get; init; }

    /// <summary>Cancels training; checked before every batch. Cancelling throws <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// Wall-clock budget. When it runs out, training stops after the current batch, ends the epoch early
    /// (metrics of the partial epoch are recorded) and returns the model (the best weights with early stopping).
    /// Null for no limit.
    /// </summary>
    public TimeSpan? TimeBudget { get; init; }

    internal void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be >= 1.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be >= 1.");
        if (ClipGradientNorm is float n && !(n > 0)) throw new ArgumentOutOfRangeException(nameof(ClipGradientNorm), n, "ClipGradientNorm must be > 0.");
        if (ClipGradientValue is float v && !(v > 0)) throw new ArgumentOutOfRangeException(nameof(ClipGradientValue), v, "ClipGradientValue must be > 0.");
        if (DivergenceFactor is double f && !(f > 1)) throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), f, "DivergenceFactor must be > 1 (or null).");
        if (TimeBudget is TimeSpan t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(TimeBudget), t, "TimeBudget must be positive.");
        EarlyStopping?.Validate();
    }
}
