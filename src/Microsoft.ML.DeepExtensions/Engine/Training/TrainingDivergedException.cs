namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// Thrown when the loss or a gradient becomes NaN or infinite during training. Training stops before
/// the bad step reaches the weights; no model is returned.
/// </summary>
public sealed class TrainingDivergedException : InvalidOperationException
{
    /// <summary>Creates the exception for the given epoch and batch.</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batch">1-based batch within the epoch.</param>
    /// <param name="what">What went non-finite, e.g. "the loss is NaN".</param>
    public TrainingDivergedException(int epoch, int batch, string what)
        : base($"Training diverged at epoch {epoch}, batch {batch}: {what}. " +
               "Normalize the features (e.g. NormalizeMeanVariance or NormalizeMinMax in the pipeline), lower the learning rate, " +
               "or enable gradient clipping.")
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The 1-based epoch in which training diverged.</summary>
    public int Epoch { get; }

    /// <summary>The 1-based batch (within the epoch) at which training diverged.</summary>
    public int Batch { get; }
}
