namespace Microsoft.ML.DeepExtensions.Engine.Statistics;

/// <summary>
/// Streaming count, mean, variance, minimum and maximum of K features, accumulated in float64 in one pass over the
/// data and numerically stable: each batch of values contributes its own mean and sum of squared deviations
/// <c>M2 = Σ (x − mean)²</c> (two passes over the batch), and batches are combined with the parallel formula of
/// Chan, Golub &amp; LeVeque (1979):
/// <c>n = n_a + n_b</c>, <c>δ = mean_b − mean_a</c>, <c>mean = mean_a + δ·n_b / n</c>,
/// <c>M2 = M2_a + M2_b + δ²·n_a·n_b / n</c>. Adding one value at a time reduces to Welford's (1962) update.
/// </summary>
/// <remarks>
/// <para>Shapes: <see cref="AddRows"/> takes rows of K values (one value per feature, row-major <c>(N, K)</c>);
/// <see cref="AddGroup"/> takes any number of values of one feature (e.g. the <c>H·W</c> pixels of one channel of
/// one image). The variance is the population variance <c>M2 / n</c> (NumPy's <c>ddof=0</c>, scikit-learn's
/// <c>StandardScaler</c>).</para>
/// <para>A feature whose values are all equal has <c>M2 = 0</c> exactly: a batch of equal float32 values has a
/// float64 mean equal to that value (sums of up to 2²⁹ float32 values are exact in float64), so every deviation is 0.</para>
/// <para>Values must be finite: callers check (and report) non-finite values before adding them.</para>
/// </remarks>
public sealed class RunningMoments
{
    private readonly long[] _count;
    private readonly double[] _mean;
    private readonly double[] _m2;
    private readonly double[] _min;
    private readonly double[] _max;
    private double[] _batchSum = [];
    private double[] _batchM2 = [];

    /// <summary>Creates empty moments for <paramref name="featureCount"/> features.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> is below 1.</exception>
    public RunningMoments(int featureCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        FeatureCount = featureCount;
        _count = new long[featureCount];
        _mean = new double[featureCount];
        _m2 = new double[featureCount];
        _min = new double[featureCount];
        _max = new double[featureCount];
        Array.Fill(_min, double.PositiveInfinity);
        Array.Fill(_max, double.NegativeInfinity);
    }

    /// <summary>K, the number of features.</summary>
    public int FeatureCount { get; }

    /// <summary>The number of values of feature <paramref name="feature"/> seen so far.</summary>
    public long Count(int feature) => _count[feature];

    /// <summary>The mean of feature <paramref name="feature"/> (0 before any value).</summary>
    public double Mean(int feature) => _mean[feature];

    /// <summary>The population variance <c>M2 / n</c> of feature <paramref name="feature"/> (0 before any value).</summary>
    public double Variance(int feature) => _count[feature] > 0 ? _m2[feature] / _count[feature] : 0;

    /// <summary>The population standard deviation <c>√(M2 / n)</c> of feature <paramref name="feature"/>.</summary>
    public double StandardDeviation(int feature) => Math.Sqrt(Variance(feature));

    /// <summary>The smallest value of feature <paramref name="feature"/> (+∞ before any value).</summary>
    public double Min(int feature) => _min[feature];

    /// <summary>The largest value of feature <paramref name="feature"/> (−∞ before any value).</summary>
    public double Max(int feature) => _max[feature];

    /// <summary>Adds <paramref name="rowCount"/> rows of <see cref="FeatureCount"/> values each (row-major), as one batch.</summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> holds fewer than <c>rowCount·K</c> values.</exception>
    public void AddRows(ReadOnlySpan<float> rows, int rowCount)
    {
        int k = FeatureCount;
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (rows.Length < (long)rowCount * k)
            throw new ArgumentException($"{rowCount} rows of {k} values need {(long)rowCount * k} values; got {rows.Length}.", nameof(rows));
        if (rowCount == 0) return;
        if (_batchSum.Length != k)
        {
            _batchSum = new double[k];
            _batchM2 = new double[k];
        }
        var sum = _batchSum.AsSpan();
        var m2 = _batchM2.AsSpan();
        sum.Clear();
        m2.Clear();
        for (int r = 0; r < rowCount; r++)
        {
            var row = rows.Slice(r * k, k);
            for (int j = 0; j < k; j++)
            {
                double x = row[j];
                sum[j] += x;
                if (x < _min[j]) _min[j] = x;
                if (x > _max[j]) _max[j] = x;
            }
        }
        for (int j = 0; j < k; j++) sum[j] /= rowCount; // now the batch means
        for (int r = 0; r < rowCount; r++)
        {
            var row = rows.Slice(r * k, k);
            for (int j = 0; j < k; j++)
            {
                double d = row[j] - sum[j];
                m2[j] += d * d;
            }
        }
        for (int j = 0; j < k; j++) Combine(j, rowCount, sum[j], m2[j]);
    }

    /// <summary>Adds one observation of every feature (<see cref="FeatureCount"/> values): Welford's update.</summary>
    public void Add(ReadOnlySpan<float> row) => AddRows(row, 1);

    /// <summary>Adds <paramref name="values"/>, all observations of feature <paramref name="feature"/>, as one batch.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="feature"/> is not in [0, K).</exception>
    public void AddGroup(int feature, ReadOnlySpan<float> values)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(feature);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(feature, FeatureCount);
        if (values.IsEmpty) return;
        double sum = 0, min = _min[feature], max = _max[feature];
        foreach (float v in values)
        {
            sum += v;
            if (v < min) min = v;
            if (v > max) max = v;
        }
        _min[feature] = min;
        _max[feature] = max;
        double mean = sum / values.Length, m2 = 0;
        foreach (float v in values)
        {
            double d = v - mean;
            m2 += d * d;
        }
        Combine(feature, values.Length, mean, m2);
    }

    /// <summary>Adds everything <paramref name="other"/> has seen (same feature count), as if its values had been added here.</summary>
    /// <exception cref="ArgumentException">The feature counts differ.</exception>
    public void Merge(RunningMoments other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.FeatureCount != FeatureCount)
            throw new ArgumentException($"Cannot merge moments of {other.FeatureCount} features into moments of {FeatureCount}.", nameof(other));
        for (int j = 0; j < FeatureCount; j++)
        {
            if (other._count[j] == 0) continue;
            _min[j] = Math.Min(_min[j], other._min[j]);
            _max[j] = Math.Max(_max[j], other._max[j]);
            Combine(j, other._count[j], other._mean[j], other._m2[j]);
        }
    }

    /// <summary>Chan et al.'s combination of the running moments of <paramref name="j"/> with a batch (n, mean, M2).</summary>
    private void Combine(int j, long n, double mean, double m2)
    {
        long na = _count[j];
        if (na == 0)
        {
            _count[j] = n;
            _mean[j] = mean;
            _m2[j] = m2;
            return;
        }
        long total = na + n;
        double delta = mean - _mean[j];
        _mean[j] += delta * n / total;
        _m2[j] += m2 + delta * delta * ((double)na * n / total);
        _count[j] = total;
    }
}
