using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

/// <summary>
/// A batch source that replays WORKLOADS.md's shuffle order: the k-th shuffled pass opened on it reads the rows in
/// the order of epoch k (precomputed, so no sorting happens inside a timed epoch); each batch is a gather of those
/// rows (the anchors' <c>index_select</c>). The generator the training loop passes is ignored.
/// </summary>
public sealed class EpochOrderSource : IBatchSource
{
    private readonly WorkloadDataset _data;
    private readonly float[] _targets;
    private readonly int[][] _orders;
    private readonly int _maxRows;
    private int _passes;

    /// <summary>Wraps <paramref name="data"/> with the orders of epochs <c>0 .. orders.Length-1</c>.</summary>
    /// <param name="data">The workload's data.</param>
    /// <param name="orders">One row order per epoch (<see cref="WorkloadData.EpochPermutation"/>).</param>
    /// <param name="maxRows">Rows read per pass (the warm-up's 50 steps); default all.</param>
    public EpochOrderSource(WorkloadDataset data, int[][] orders, int maxRows = int.MaxValue)
    {
        _data = data;
        _targets = data.LabelsAsFloats();
        _orders = orders;
        _maxRows = Math.Min(maxRows, data.Rows);
    }

    /// <inheritdoc />
    public ReadOnlySpan<int> FeatureShape => _data.SampleShape;

    /// <inheritdoc />
    public int TargetSize => 1;

    /// <inheritdoc />
    public bool HasWeights => false;

    /// <inheritdoc />
    public long? Count => _maxRows;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">More shuffled passes were opened than orders were given.</exception>
    public IBatchCursor OpenCursor(int batchSize, Rng? shuffle)
    {
        int[]? order = null;
        if (shuffle is not null)
        {
            if (_passes >= _orders.Length)
                throw new InvalidOperationException($"Only {_orders.Length} epoch orders were prepared.");
            order = _orders[_passes++];
        }
        return new Cursor(this, batchSize, order);
    }

    /// <summary>Gathers rows <paramref name="rows"/> into <paramref name="batch"/> (features and targets).</summary>
    public void Gather(ReadOnlySpan<int> rows, Batch batch)
    {
        int d = _data.RowLength, n = rows.Length;
        batch.Features.ResizeBatch(n, _data.SampleShape);
        batch.Targets.ResizeBatch(n, [1]);
        batch.HasWeights = false;
        Span<float> f = batch.Features.Span, y = batch.Targets.Span;
        for (int i = 0; i < n; i++)
        {
            int r = rows[i];
            _data.X.AsSpan(r * d, d).CopyTo(f.Slice(i * d, d));
            y[i] = _targets[r];
        }
    }

    private sealed class Cursor(EpochOrderSource source, int batchSize, int[]? order) : IBatchCursor
    {
        private int _next;

        public bool MoveNext(Batch batch)
        {
            int start = _next, n = Math.Min(batchSize, source._maxRows - start);
            if (n <= 0) return false;
            _next += n;
            batch.StartRow = start;
            if (order is not null)
            {
                source.Gather(order.AsSpan(start, n), batch);
                return true;
            }
            int d = source._data.RowLength;
            batch.Features.ResizeBatch(n, source._data.SampleShape);
            batch.Targets.ResizeBatch(n, [1]);
            batch.HasWeights = false;
            source._data.X.AsSpan(start * d, n * d).CopyTo(batch.Features.Span);
            source._targets.AsSpan(start, n).CopyTo(batch.Targets.Span);
            return true;
        }

        public void Dispose() { }
    }
}
