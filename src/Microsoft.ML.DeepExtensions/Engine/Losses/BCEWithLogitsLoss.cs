namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>
/// Binary cross-entropy on logits (PyTorch <c>nn.BCEWithLogitsLoss</c>, Keras
/// <c>BinaryCrossentropy(from_logits=True)</c>), with an optional weight on the positive class.
/// </summary>
/// <remarks>
/// <para><b>Formula.</b> For a logit <c>x</c>, a target <c>y</c> in <c>[0, 1]</c> and <c>pos_weight</c> <c>q</c>
/// (1 by default), PyTorch's stable log-sigmoid form:</para>
/// <code>
/// l = (1 - y)·x + (1 + (q - 1)·y)·softplus(-x),   softplus(-x) = max(-x, 0) + log(1 + exp(-|x|))
/// </code>
/// <para>which equals <c>-[q·y·log σ(x) + (1 - y)·log(1 - σ(x))]</c> without overflow for large <c>|x|</c>.
/// Gradient <c>dl/dx = (1 - y) - (1 + (q - 1)·y)·σ(-x)</c> (<c>σ(x) - y</c> when <c>q = 1</c>).</para>
/// <para><b>Shape.</b> Logits <c>(N)</c> or <c>(N, 1)</c> (also <c>(N, K)</c> for K independent labels); target of the
/// same shape (<c>(N)</c> and <c>(N, 1)</c> are interchangeable) with values in <c>[0, 1]</c>; optional per-example
/// weights <c>(N)</c>.</para>
/// <para><b>Reduction.</b> <c>Σ_i w_i·Σ_k l_ik / (K·Σ_i w_i)</c>: the mean over all elements, a per-example weight
/// applying to every element of its row. An all-zero weight vector gives a loss and gradient of 0.</para>
/// </remarks>
/// <exception cref="ArgumentException">(from <see cref="Forward"/>) The shapes differ, a target is outside
/// <c>[0, 1]</c> (the message names the row), or a weight is negative or not finite.</exception>
public sealed class BCEWithLogitsLoss : Loss
{
    private readonly Tensor _gradient = new(0);
    private bool _forwardCalled;

    /// <summary>Creates a binary cross-entropy loss on logits.</summary>
    /// <param name="posWeight">PyTorch's <c>pos_weight</c> <c>q</c>: the weight of the positive term
    /// (q &gt; 1 raises recall); default null (1). Must be finite and ≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="posWeight"/> is negative or not finite.</exception>
    public BCEWithLogitsLoss(float? posWeight = null)
    {
        if (posWeight is { } q && (!(q >= 0f) || !float.IsFinite(q)))
            throw new ArgumentOutOfRangeException(nameof(posWeight), q, "BCEWithLogitsLoss posWeight must be finite and >= 0.");
        PosWeight = posWeight;
    }

    /// <summary>The positive-class weight, or null for 1.</summary>
    public float? PosWeight { get; }

    /// <inheritdoc />
    public override float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null)
    {
        int n = LossValidation.CheckSameShape(prediction, target, Name);
        var weights = LossValidation.SampleWeights(sampleWeight, n, Name);
        int length = prediction.Length;
        int k = n == 0 ? 0 : length / n;
        ReadOnlySpan<float> x = prediction.Span, y = target.Span;
        for (int i = 0; i < length; i++)
        {
            if (!(y[i] >= 0f && y[i] <= 1f))
                throw new ArgumentException($"{Name}: the target of row {i / Math.Max(k, 1)} is {y[i]}; targets must be probabilities in [0, 1].", nameof(target));
        }

        _gradient.Resize(prediction.Shape);
        _forwardCalled = true;
        var g = _gradient.Span;
        double weightSum = 0;
        if (weights.IsEmpty) weightSum = n;
        else foreach (float w in weights) weightSum += w;
        if (length == 0 || weightSum == 0)
        {
            g.Clear();
            return 0f;
        }

        double q = PosWeight ?? 1.0;
        double denominator = weightSum * k;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double wi = weights.IsEmpty ? 1.0 : weights[i];
            double scale = wi / denominator;
            double rowSum = 0;
            for (int j = i * k, end = j + k; j < end; j++)
            {
                double xj = x[j], yj = y[j];
                double logWeight = 1 + (q - 1) * yj;
                double e = Math.Exp(-Math.Abs(xj));
                double softplusNeg = Math.Max(-xj, 0) + double.LogP1(e);      // log(1 + exp(-x))
                double sigmoidNeg = xj >= 0 ? e / (1 + e) : 1 / (1 + e);      // σ(-x)
                rowSum += (1 - yj) * xj + logWeight * softplusNeg;
                g[j] = (float)(scale * ((1 - yj) - logWeight * sigmoidNeg));
            }
            total += wi * rowSum;
        }
        return (float)(total / denominator);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No <see cref="Forward"/> call yet.</exception>
    public override Tensor Backward()
    {
        LossValidation.CheckForwardCalled(_forwardCalled, Name);
        return _gradient;
    }
}
