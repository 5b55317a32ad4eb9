namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// Changes the training examples of a batch in place before the forward pass: data augmentation (random crops,
/// flips, rotations, colour jitter, ...). It runs only while training, never on validation data or at scoring time
/// (Keras semantics; DESIGN.md decision 6).
/// </summary>
/// <remarks>
/// Implementations must be repeatable: seed the randomness of example <c>i</c> from (<c>epoch</c>,
/// <c>batch.RowIds[i]</c>) so that the same seed gives the same augmented data whatever the batch order or thread count.
/// </remarks>
public interface IBatchAugmenter
{
    /// <summary>Augments <paramref name="batch"/>'s features in place (same shape).</summary>
    /// <param name="batch">The batch; <see cref="Batch.Features"/> is <c>(N, *featureShape)</c>.</param>
    /// <param name="epoch">The 1-based epoch.</param>
    void Augment(Batch batch, int epoch);
}
