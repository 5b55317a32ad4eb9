namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// A task metric accumulated over the batches of an epoch (Keras <c>metrics</c>): reset, updated with
/// each batch's network output and targets, then read.
/// </summary>
public interface IMetric
{
    /// <summary>The metric's name in logs and history, e.g. <c>accuracy</c>.</summary>
    string Name { get; }

    /// <summary>True when larger values are better (accuracy), false when smaller are (error).</summary>
    bool HigherIsBetter { get; }

    /// <summary>Clears the accumulated state.</summary>
    void Reset();

    /// <summary>Adds a batch: network output, targets <c>(N, targetSize)</c>, optional weights <c>(N)</c>.</summary>
    void Update(Tensor output, Tensor targets, Tensor? weights);

    /// <summary>The metric over everything added since <see cref="Reset"/> (NaN when nothing was added).</summary>
    double Result { get; }
}

/// <summary>
/// Classification accuracy, weighted by example weights: the fraction of examples whose predicted class
/// equals the target. Output <c>(N, C)</c> with C ≥ 2: the predicted class is the arg-max (first on
/// ties). Output <c>(N)</c> or <c>(N, 1)</c>: a logit, predicted positive when &gt; 0. Targets: class
/// indices, or 0/1 for a logit.
/// </summary>
public sealed class AccuracyMetric : IMetric
{
    private double _correct, _total;

    /// <inheritdoc />
    public string Name => "accuracy";

    /// <inheritdoc />
    public bool HigherIsBetter => true;

    /// <inheritdoc />
    public void Reset() => _correct = _total = 0;

    /// <inheritdoc />
    public void Update(Tensor output, Tensor targets, Tensor? weights)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(targets);
        int n = output.BatchSize, c = output.RowLength;
        ReadOnlySpan<float> o = output.Span, y = targets.Span;
        int ts = targets.RowLength;
        for (int i = 0; i < n; i++)
        {
            int predicted;
            if (c == 1)
            {
                predicted = o[i] > 0f ? 1 : 0;
            }
            else
            {
                var row = o.Slice(i * c, c);
                predicted = 0;
                for (int k = 1; k < c; k++) if (row[k] > row[predicted]) predicted = k;
            }
            double w = weights is null ? 1.0 : weights[i];
            _total += w;
            float target = y[i * ts];
            if (c == 1 ? (target > 0.5f ? 1 : 0) == predicted : (int)target == predicted) _correct += w;
        }
    }

    /// <inheritdoc />
    public double Result => _total > 0 ? _correct / _total : double.NaN;
}

/// <summary>Mean absolute error over all output elements (weighted by example weights): <c>Σ w_i·|ŷ_ij − y_ij| / Σ w_i·D</c>.</summary>
public sealed class MeanAbsoluteErrorMetric : IMetric
{
    private double _sum, _total;

    /// <inheritdoc />
    public string Name => "mae";

    /// <inheritdoc />
    public bool HigherIsBetter => false;

    /// <inheritdoc />
    public void Reset() => _sum = _total = 0;

    /// <inheritdoc />
    public void Update(Tensor output, Tensor targets, Tensor? weights)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(targets);
        if (output.Length != targets.Length)
            throw new ArgumentException($"Output {output.ShapeString()} and targets {targets.ShapeString()} hold different numbers of values.");
        int n = output.BatchSize, d = output.RowLength;
        ReadOnlySpan<float> o = output.Span, y = targets.Span;
        for (int i = 0; i < n; i++)
        {
            double w = weights is null ? 1.0 : weights[i];
            double s = 0;
            for (int j = 0; j < d; j++) s += Math.Abs((double)o[i * d + j] - y[i * d + j]);
            _sum += w * s;
            _total += w * d;
        }
    }

    /// <inheritdoc />
    public double Result => _total > 0 ? _sum / _total : double.NaN;
}
