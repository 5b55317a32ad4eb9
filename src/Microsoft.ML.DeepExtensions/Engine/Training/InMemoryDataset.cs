namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// Examples packed in contiguous float32 arrays: features <c>(N, *featureShape)</c>, targets
/// <c>(N, targetSize)</c> and optional weights <c>(N)</c>, all row-major. Shuffling permutes row
/// indices (Fisher–Yates with the pass's <see cref="Rng"/>) and gathers rows into the batch tensors.
/// </summary>
/// <remarks>
/// <para>Batches hold <c>batchSize</c> examples, the last one fewer; a last batch that would hold a single example is merged
/// into the batch before it (so that layers with batch statistics, such as BatchNorm, never train on one example).</para>
/// <para>Padded sequences may carry their valid lengths (one per row, see <see cref="Lengths"/>); batches then carry them in
/// <see cref="Batch.Lengths"/>, and the training loop hands them to the network through
/// <see cref="TrainingOptions.SequenceLengths"/>.</para>
/// </remarks>
public sealed class InMemoryDataset : IBatchSource
{
    private readonly float[] _features;
    private readonly float[] _targets;
    private readonly float[]? _weights;
    private readonly int[]? _lengths;
    private readonly int[] _featureShape;
    private readonly int _rowLength;

    /// <summary>Wraps packed arrays (no copy).</summary>
    /// <param name="features">Row-major features, <c>count × prod(featureShape)</c> values.</param>
    /// <param name="featureShape">The per-example feature shape, e.g. <c>[64]</c>.</param>
    /// <param name="targets">Row-major targets, <c>count × targetSize</c> values.</param>
    /// <param name="targetSize">Target values per example (≥ 1).</param>
    /// <param name="weights">Optional per-example weights, <c>count</c> values, each finite and ≥ 0.</param>
    /// <param name="lengths">
    /// Optional valid sequence length of each example (<c>count</c> values in <c>[0, featureShape[0]]</c>), for sequences
    /// padded at the end to <c>featureShape[0]</c> steps.
    /// </param>
    /// <exception cref="ArgumentException">The array lengths do not agree with the shapes, there are no examples, or a sequence length is out of range.</exception>
    public InMemoryDataset(float[] features, ReadOnlySpan<int> featureShape, float[] targets, int targetSize = 1, float[]? weights = null, int[]? lengths = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        _featureShape = featureShape.ToArray();
        _rowLength = 1;
        foreach (int d in _featureShape)
        {
            if (d <= 0) throw new ArgumentException($"Feature dimensions must be > 0, got [{string.Join(", ", _featureShape)}].", nameof(featureShape));
            _rowLength *= d;
        }
        if (targetSize <= 0) throw new ArgumentOutOfRangeException(nameof(targetSize), targetSize, "The target size must be >= 1.");
        if (features.Length % _rowLength != 0)
            throw new ArgumentException($"{features.Length} feature values are not a whole number of rows of {_rowLength}.", nameof(features));
        int count = features.Length / _rowLength;
        if (count == 0) throw new ArgumentException("The data set has no examples.", nameof(features));
        if (targets.Length != (long)count * targetSize)
            throw new ArgumentException($"Expected {count} × {targetSize} target values for {count} examples, got {targets.Length}.", nameof(targets));
        if (weights is not null && weights.Length != count)
            throw new ArgumentException($"Expected {count} weights, got {weights.Length}.", nameof(weights));
        if (lengths is not null)
        {
            if (lengths.Length != count)
                throw new ArgumentException($"Expected {count} sequence lengths, got {lengths.Length}.", nameof(lengths));
            int steps = _featureShape.Length == 0 ? 1 : _featureShape[0];
            for (int i = 0; i < count; i++)
                if (lengths[i] < 0 || lengths[i] > steps)
                    throw new ArgumentException($"Sequence length {lengths[i]} of example {i} is outside [0, {steps}].", nameof(lengths));
        }
        _features = features;
        _lengths = lengths;
        _targets = targets;
        _weights = weights;
        TargetSize = targetSize;
        Rows = count;
    }

    /// <summary>The number of examples.</summary>
    public int Rows { get; }

    /// <inheritdoc />
    public ReadOnlySpan<int> FeatureShape => _featureShape;

    /// <inheritdoc />
    public int TargetSize { get; }

    /// <inheritdoc />
    public bool HasWeights => _weights is not null;

    /// <inheritdoc />
    public long? Count => Rows;

    /// <summary>The packed features (row-major).</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The packed targets (row-major).</summary>
    public ReadOnlySpan<float> Targets => _targets;

    /// <summary>The per-example weights, or an empty span.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>True when the examples carry sequence lengths.</summary>
    public bool HasLengths => _lengths is not null;

    /// <summary>The per-example sequence lengths, or an empty span.</summary>
    public ReadOnlySpan<int> Lengths => _lengths;

    /// <summary>The same rows (no copy of features, targets or lengths) with new per-example weights.</summary>
    /// <exception cref="ArgumentException"><paramref name="weights"/> does not hold one weight per row.</exception>
    public InMemoryDataset WithWeights(float[]? weights) => new(_features, _featureShape, _targets, TargetSize, weights, _lengths) { TrimToLongest = TrimToLongest };

    /// <summary>
    /// When true (and the examples carry <see cref="Lengths"/>), each batch's features are cut to the longest sequence of
    /// the batch: <c>(N, T_batch, *)</c> with <c>T_batch = max(1, max lengths)</c> ≤ <c>T</c>, so that recurrent layers do
    /// not step through padding every sequence of the batch has. Only for networks that accept any number of steps
    /// (recurrent layers with lengths, then pooling). Default false.
    /// </summary>
    public bool TrimToLongest { get; init; }

    /// <summary>
    /// The same rows (no copy) with the features read as <paramref name="featureShape"/>, e.g. <c>[1, 28, 28]</c> for
    /// rows of 784 values.
    /// </summary>
    /// <exception cref="ArgumentException">The shape holds a different number of values per row.</exception>
    public InMemoryDataset WithFeatureShape(ReadOnlySpan<int> featureShape)
    {
        if (featureShape.SequenceEqual(_featureShape)) return this;
        long n = 1;
        foreach (int d in featureShape) n *= d;
        if (n != _rowLength)
            throw new ArgumentException($"Shape [{string.Join(", ", featureShape.ToArray())}] holds {n} values per row; the rows hold {_rowLength}.", nameof(featureShape));
        if (_lengths is not null && (featureShape.Length == 0 || featureShape[0] != _featureShape[0]))
            throw new ArgumentException("The examples carry sequence lengths: the new shape must keep the time dimension first.", nameof(featureShape));
        return new InMemoryDataset(_features, featureShape, _targets, TargetSize, _weights, _lengths) { TrimToLongest = TrimToLongest };
    }

    /// <summary>A new data set holding the given rows, in the given order (copies).</summary>
    public InMemoryDataset Subset(ReadOnlySpan<int> rows)
    {
        var f = new float[rows.Length * _rowLength];
        var t = new float[rows.Length * TargetSize];
        var w = _weights is null ? null : new float[rows.Length];
        var l = _lengths is null ? null : new int[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int r = rows[i];
            Array.Copy(_features, (long)r * _rowLength, f, (long)i * _rowLength, _rowLength);
            Array.Copy(_targets, (long)r * TargetSize, t, (long)i * TargetSize, TargetSize);
            if (w is not null) w[i] = _weights![r];
            if (l is not null) l[i] = _lengths![r];
        }
        return new InMemoryDataset(f, _featureShape, t, TargetSize, w, l) { TrimToLongest = TrimToLongest };
    }

    /// <summary>
    /// Splits the rows at random into two data sets: a fraction <paramref name="secondFraction"/> of the rows
    /// (at least one, rounded) goes to the second.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="secondFraction"/> is not in (0, 1), or a side would be empty.</exception>
    public (InMemoryDataset First, InMemoryDataset Second) Split(double secondFraction, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(secondFraction > 0 && secondFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(secondFraction), secondFraction, "The fraction must be in (0, 1).");
        int second = (int)Math.Round(Rows * secondFraction);
        if (second < 1 || second >= Rows)
            throw new ArgumentOutOfRangeException(nameof(secondFraction), secondFraction, $"Splitting {Rows} rows at {secondFraction} leaves one side empty.");
        int[] order = Enumerable.Range(0, Rows).ToArray();
        rng.Shuffle(order.AsSpan());
        return (Subset(order.AsSpan(second)), Subset(order.AsSpan(0, second)));
    }

    /// <inheritdoc />
    public IBatchCursor OpenCursor(int batchSize, Rng? shuffle)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return new Cursor(this, batchSize, shuffle);
    }

    private sealed class Cursor : IBatchCursor
    {
        private readonly InMemoryDataset _data;
        private readonly int _batchSize;
        private readonly int[]? _order;
        private int _next;
        private int[]? _trimmedShape;

        public Cursor(InMemoryDataset data, int batchSize, Rng? shuffle)
        {
            _data = data;
            _batchSize = batchSize;
            if (shuffle is not null)
            {
                _order = new int[data.Rows];
                for (int i = 0; i < _order.Length; i++) _order[i] = i;
                shuffle.Shuffle(_order.AsSpan());
            }
        }

        public bool MoveNext(Batch batch)
        {
            int start = _next;
            int n = Math.Min(_batchSize, _data.Rows - start);
            if (n <= 0) return false;
            // A last batch of a single example is merged into this one: batch statistics (BatchNorm) need two values.
            if (_data.Rows - start - n == 1) n++;
            _next += n;
            int d = _data._rowLength, t = _data.TargetSize;
            batch.StartRow = start;
            batch.EnsureRowIds(n);
            for (int i = 0; i < n; i++) batch.RowIds[i] = _order is null ? start + i : _order[start + i];
            int steps = BatchSteps(start, n);
            if (steps == 0) batch.Features.ResizeBatch(n, _data._featureShape);
            else
            {
                _trimmedShape ??= (int[])_data._featureShape.Clone();
                _trimmedShape[0] = steps;
                batch.Features.ResizeBatch(n, _trimmedShape);
            }
            batch.Targets.ResizeBatch(n, [t]);
            batch.HasWeights = _data._weights is not null;
            if (batch.HasWeights) batch.Weights.Resize(n);
            batch.HasLengths = _data._lengths is not null;
            if (batch.HasLengths)
            {
                batch.EnsureLengths(n);
                for (int i = 0; i < n; i++) batch.Lengths[i] = _data._lengths![_order is null ? start + i : _order[start + i]];
            }
            Span<float> f = batch.Features.Span, y = batch.Targets.Span;
            if (steps != 0)
            {
                // Copy each example's first `steps` steps.
                int kept = d / _data._featureShape[0] * steps;
                for (int i = 0; i < n; i++)
                {
                    int r = _order is null ? start + i : _order[start + i];
                    _data._features.AsSpan(r * d, kept).CopyTo(f.Slice(i * kept, kept));
                    _data._targets.AsSpan(r * t, t).CopyTo(y.Slice(i * t, t));
                    if (batch.HasWeights) batch.Weights[i] = _data._weights![r];
                }
                return true;
            }
            if (_order is null)
            {
                _data._features.AsSpan(start * d, n * d).CopyTo(f);
                _data._targets.AsSpan(start * t, n * t).CopyTo(y);
                if (batch.HasWeights) _data._weights.AsSpan(start, n).CopyTo(batch.Weights.Span);
                return true;
            }
            for (int i = 0; i < n; i++)
            {
                int r = _order[start + i];
                _data._features.AsSpan(r * d, d).CopyTo(f.Slice(i * d, d));
                _data._targets.AsSpan(r * t, t).CopyTo(y.Slice(i * t, t));
                if (batch.HasWeights) batch.Weights[i] = _data._weights![r];
            }
            return true;
        }

        /// <summary>The steps to cut the batch starting at <paramref name="start"/> to, or 0 to keep all of them.</summary>
        private int BatchSteps(int start, int n)
        {
            var lengths = _data._lengths;
            if (!_data.TrimToLongest || lengths is null || _data._featureShape.Length == 0) return 0;
            int longest = 1;
            for (int i = 0; i < n; i++) longest = Math.Max(longest, lengths[_order is null ? start + i : _order[start + i]]);
            return longest < _data._featureShape[0] ? longest : 0;
        }

        public void Dispose() { }
    }
}
