namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// One mini-batch: features, targets and optional per-example weights. A cursor refills the same
/// <see cref="Batch"/> object for every batch of an epoch, so its tensors are reused (no per-step garbage).
/// </summary>
/// <remarks>
/// Shapes: <see cref="Features"/> <c>(N, *featureShape)</c>; <see cref="Targets"/> <c>(N, targetSize)</c>
/// (class indices stored as exact floats for classification); <see cref="Weights"/> <c>(N)</c> or unused.
/// </remarks>
public sealed class Batch
{
    /// <summary>The batch's features, <c>(N, *featureShape)</c>.</summary>
    public Tensor Features { get; } = new(0);

    /// <summary>The batch's targets, <c>(N, targetSize)</c>.</summary>
    public Tensor Targets { get; } = new(0);

    /// <summary>Per-example weights <c>(N)</c>; meaningful only when <see cref="HasWeights"/> is true.</summary>
    public Tensor Weights { get; } = new(0);

    /// <summary>True when the source provides per-example weights.</summary>
    public bool HasWeights { get; set; }

    /// <summary>The number of examples in the batch.</summary>
    public int Count => Features.BatchSize;

    /// <summary>The 0-based index of the first example of the batch within its epoch.</summary>
    public long StartRow { get; set; }

    /// <summary>
    /// For each example of the batch, its row index in the source (before shuffling), so that per-example randomness
    /// (augmentation) can be seeded by (epoch, row) and repeat whatever the batch order. Length ≥ <see cref="Count"/>;
    /// sources that cannot tell leave <c>StartRow + i</c>.
    /// </summary>
    public long[] RowIds { get; internal set; } = [];

    /// <summary>Makes <see cref="RowIds"/> hold at least <paramref name="count"/> entries (grows only).</summary>
    public void EnsureRowIds(int count)
    {
        if (RowIds.Length < count) RowIds = new long[Math.Max(count, RowIds.Length * 2)];
    }

    /// <summary>True when the source provides sequence lengths (<see cref="Lengths"/>).</summary>
    public bool HasLengths { get; set; }

    /// <summary>
    /// For each example of the batch, the valid length of its sequence (padded at the end to the feature shape's first
    /// dimension); meaningful only when <see cref="HasLengths"/> is true. Length ≥ <see cref="Count"/>.
    /// </summary>
    public int[] Lengths { get; internal set; } = [];

    /// <summary>Makes <see cref="Lengths"/> hold at least <paramref name="count"/> entries (grows only).</summary>
    public void EnsureLengths(int count)
    {
        if (Lengths.Length < count) Lengths = new int[Math.Max(count, Lengths.Length * 2)];
    }

    /// <summary>The weights tensor when <see cref="HasWeights"/>, else null (the form losses take).</summary>
    public Tensor? WeightsOrNull => HasWeights ? Weights : null;
}
