using Microsoft.ML.DeepExtensions.Engine.Schedules;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// The training settings every neural trainer of this library shares: columns, optimizer, regularization,
/// schedule, epochs and batches, validation, early stopping, class weights, clipping, seed, progress and
/// cancellation. Defaults train well on normalized inputs.
/// </summary>
public abstract class NeuralTrainerOptionsBase
{
    /// <summary>The label column. Default <c>Label</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The feature column: Single or a known-size vector of Single. Default <c>Features</c>.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>An optional Single column of per-example weights (finite, ≥ 0). Default none.</summary>
    public string? ExampleWeightColumnName { get; set; }

    /// <summary>The optimizer. Default <see cref="OptimizerKind.Adam"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>The (initial) learning rate, &gt; 0. Default 1e-3.</summary>
    public float LearningRate { get; set; } = 1e-3f;

    /// <summary>Momentum for <see cref="OptimizerKind.Sgd"/> and <see cref="OptimizerKind.RMSprop"/>, in [0, 1). Default 0.</summary>
    public float Momentum { get; set; }

    /// <summary>Use Nesterov momentum with <see cref="OptimizerKind.Sgd"/> (needs <see cref="Momentum"/> &gt; 0). Default false.</summary>
    public bool Nesterov { get; set; }

    /// <summary>Adam/AdamW first-moment decay β1. Default 0.9.</summary>
    public float Beta1 { get; set; } = 0.9f;

    /// <summary>Adam/AdamW second-moment decay β2. Default 0.999.</summary>
    public float Beta2 { get; set; } = 0.999f;

    /// <summary>PyTorch's <c>weight_decay</c>, ≥ 0: decoupled for AdamW, coupled (added to the gradient) otherwise. Default 0 (AdamW: 0.01).</summary>
    public float? WeightDecay { get; set; }

    /// <summary>L1 penalty <c>λ1·Σ|w|</c> on weights (not biases), ≥ 0. Default 0.</summary>
    public float L1Regularization { get; set; }

    /// <summary>L2 penalty <c>λ2·Σw²</c> on weights (not biases), ≥ 0. Default 0.</summary>
    public float L2Regularization { get; set; }

    /// <summary>A learning-rate schedule (e.g. <see cref="CosineAnnealingLR"/>, <see cref="WarmupCosineSchedule"/>, <see cref="ReduceLROnPlateau"/>), or null for a constant rate. Default null.</summary>
    public LearningRateSchedule? LearningRateSchedule { get; set; }

    /// <summary>Passes over the training data, ≥ 1. Default 20 (the convolutional trainers: 10).</summary>
    public int NumberOfEpochs { get; set; } = 20;

    /// <summary>Examples per mini-batch, ≥ 1. Default 32 (the convolutional trainers: 64).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Shuffle the training rows before every epoch. Default true.</summary>
    public bool Shuffle { get; set; } = true;

    /// <summary>
    /// Fraction of the training rows held out (at random, seeded) as validation data when no validation set is
    /// passed to <c>Fit</c>; 0 for none, else in (0, 1). Default 0.
    /// </summary>
    public double ValidationFraction { get; set; }

    /// <summary>Early stopping (monitored quantity, patience, min delta; restores the best weights), or null. Default null.</summary>
    public EarlyStopping? EarlyStopping { get; set; }

    /// <summary>
    /// Per-class weights multiplying each example's loss (index = class: for binary, 0 = false and 1 = true; for
    /// multiclass, the label's key order). Null for equal weights. Default null.
    /// </summary>
    public float[]? ClassWeights { get; set; }

    /// <summary>Clip gradients to this global L2 norm (PyTorch <c>clip_grad_norm_</c>), or null. Default null.</summary>
    public float? ClipGradientNorm { get; set; }

    /// <summary>Clip each gradient element to [−v, v], or null. Default null.</summary>
    public float? ClipGradientValue { get; set; }

    /// <summary>
    /// The seed of weight initialization, dropout, shuffling and the validation split. Null (the default) uses one seed
    /// per <see cref="MLContext"/>, derived from the context's own seed: <c>new MLContext(seed: 0)</c> makes every run
    /// repeatable, and fitting the same options twice in one context gives the same model.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Called after every epoch with its metrics (also written to <see cref="MLContext.Log"/>).</summary>
    public Action<EpochMetrics>? OnEpochEnd { get; set; }

    /// <summary>Cancels training (<see cref="OperationCanceledException"/>). Default none.</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>A wall-clock budget for training; when it runs out the model trained so far is returned. Default none.</summary>
    public TimeSpan? TimeBudget { get; set; }

    /// <summary>
    /// The training-batch augmenter of a run seeded with <paramref name="seed"/>, or null (the default: no augmentation).
    /// Trainers with an augmentation option (the ConvNet trainers) override it.
    /// </summary>
    internal virtual IBatchAugmenter? CreateAugmenter(ulong seed) => null;

    /// <summary>Options that are valid but have no effect as set; each is logged as a warning when training starts.</summary>
    internal virtual IEnumerable<string> Warnings() => [];

    /// <summary>
    /// Checks the options that need no data, so that <c>Fit</c> fails before reading any row. The exception's
    /// <c>ParamName</c> is the option's property name.
    /// </summary>
    /// <exception cref="ArgumentException">An option is null or out of range.</exception>
    /// <summary>
    /// A copy taken when a trainer is created, so that changing this object afterwards changes neither the trainer nor
    /// the models it returns (arrays are copied; schedules, early stopping, callbacks and augmentation objects are shared).
    /// </summary>
    internal NeuralTrainerOptionsBase Snapshot()
    {
        var copy = (NeuralTrainerOptionsBase)MemberwiseClone();
        copy.CopyArrays();
        return copy;
    }

    /// <summary>Replaces array-valued options of a fresh <see cref="Snapshot"/> with copies.</summary>
    private protected virtual void CopyArrays() => ClassWeights = (float[]?)ClassWeights?.Clone();

    internal virtual void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(FeatureColumnName, nameof(FeatureColumnName));
        ArgumentException.ThrowIfNullOrEmpty(LabelColumnName, nameof(LabelColumnName));
        if (NumberOfEpochs < 1)
            throw new ArgumentOutOfRangeException(nameof(NumberOfEpochs), NumberOfEpochs, "NumberOfEpochs must be >= 1.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be >= 1.");
        if (!(LearningRate > 0 && float.IsFinite(LearningRate)))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be finite and > 0.");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (Nesterov && !(Momentum > 0))
            throw new ArgumentException("Nesterov momentum needs Momentum > 0.", nameof(Nesterov));
        if (!(Beta1 >= 0 && Beta1 < 1) || !(Beta2 >= 0 && Beta2 < 1))
            throw new ArgumentOutOfRangeException(!(Beta1 >= 0 && Beta1 < 1) ? nameof(Beta1) : nameof(Beta2), "Beta1 and Beta2 must be in [0, 1).");
        if (!(ValidationFraction == 0 || (ValidationFraction > 0 && ValidationFraction < 1)))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be 0 (none) or in (0, 1).");
        if (ClipGradientNorm is float n && !(n > 0 && float.IsFinite(n)))
            throw new ArgumentOutOfRangeException(nameof(ClipGradientNorm), n, "ClipGradientNorm must be finite and > 0 (or null for none).");
        if (ClipGradientValue is float v && !(v > 0 && float.IsFinite(v)))
            throw new ArgumentOutOfRangeException(nameof(ClipGradientValue), v, "ClipGradientValue must be finite and > 0 (or null for none).");
        if (TimeBudget is TimeSpan t && t <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(TimeBudget), t, "TimeBudget must be positive (or null for none).");
        if (ClassWeights is { } weights)
            foreach (float w in weights)
                if (!(float.IsFinite(w) && w >= 0))
                    throw new ArgumentOutOfRangeException(nameof(ClassWeights), w, "ClassWeights must be finite and >= 0.");
        EarlyStopping?.Validate();
    }
}
