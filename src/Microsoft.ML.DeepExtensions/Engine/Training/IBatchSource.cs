namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// Where the training loop reads its examples from: in memory (<see cref="InMemoryDataset"/>) or
/// streamed from elsewhere (the ML.NET layer streams an <c>IDataView</c> past a memory budget).
/// </summary>
public interface IBatchSource
{
    /// <summary>The per-example feature shape (without the batch dimension), e.g. <c>[64]</c> or <c>[1, 28, 28]</c>.</summary>
    ReadOnlySpan<int> FeatureShape { get; }

    /// <summary>The number of target values per example (1 for a class index or a scalar regression target).</summary>
    int TargetSize { get; }

    /// <summary>True when the source has per-example weights.</summary>
    bool HasWeights { get; }

    /// <summary>The number of examples, when known in advance; null for sources that only stream.</summary>
    long? Count { get; }

    /// <summary>Starts one pass over the data.</summary>
    /// <param name="batchSize">Examples per batch; the last batch may be smaller.</param>
    /// <param name="shuffle">The generator that fixes this pass's order, or null to read in stored order.</param>
    IBatchCursor OpenCursor(int batchSize, Rng? shuffle);
}

/// <summary>One pass over an <see cref="IBatchSource"/>.</summary>
public interface IBatchCursor : IDisposable
{
    /// <summary>Fills <paramref name="batch"/> with the next examples; false when the pass is over.</summary>
    bool MoveNext(Batch batch);
}
