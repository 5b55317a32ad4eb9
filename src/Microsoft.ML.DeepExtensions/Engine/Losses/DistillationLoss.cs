namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>
/// Knowledge-distillation loss (Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", 2015):
/// the Kullback–Leibler divergence from the teacher's softened class distribution to the student's,
/// <c>L = T² · Σ_i w_i · KL(p_i ‖ q_i) / Σ_i w_i</c> with <c>p_i = softmax(t_i / T)</c> (teacher) and
/// <c>q_i = softmax(s_i / T)</c> (student), <c>KL(p ‖ q) = Σ_c p_c (log p_c − log q_c)</c> (PyTorch
/// <c>T² · kl_div(log_softmax(s/T), softmax(t/T), reduction='batchmean')</c>). The T² factor keeps the gradient's
/// scale independent of the temperature.
/// </summary>
/// <remarks>
/// <para><b>Shapes.</b> Prediction: student logits <c>(N, C)</c>; target: teacher logits <c>(N, C)</c>; optional
/// per-example weights <c>(N)</c>.</para>
/// <para><b>Gradient.</b> <c>dL/ds_i = T · w_i · (q_i − p_i) / Σ w</c>. Computed with max-subtracted log-softmax in float64.</para>
/// </remarks>
public sealed class DistillationLoss : Loss
{
    private readonly Tensor _gradient = new(0);
    private double[] _logP = [], _logQ = [];
    private bool _forwardCalled;

    /// <summary>Creates the loss.</summary>
    /// <param name="temperature">The softening temperature T (&gt; 0, finite). Hinton et al. use 2-20. Default 4.</param>
    /// <exception cref="ArgumentOutOfRangeException">The temperature is not positive and finite.</exception>
    public DistillationLoss(float temperature = 4f)
    {
        if (!(temperature > 0) || !float.IsFinite(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive and finite.");
        Temperature = temperature;
    }

    /// <summary>The softening temperature T.</summary>
    public float Temperature { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The teacher logits do not have the student's shape <c>(N, C)</c>, or a weight is negative or non-finite.</exception>
    public override float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Rank != 2 || !Tensor.SameShape(prediction.Shape, target.Shape))
            throw new ArgumentException($"DistillationLoss expects student and teacher logits of the same shape (N, C); got {prediction.ShapeString()} and {target.ShapeString()}.", nameof(target));
        int n = prediction.Dim(0), c = prediction.Dim(1);
        var w = LossValidation.SampleWeights(sampleWeight, n, Name);
        if (_logP.Length < c) { _logP = new double[c]; _logQ = new double[c]; }
        _gradient.Resize(prediction.Shape);
        ReadOnlySpan<float> s = prediction.Span, t = target.Span;
        Span<float> g = _gradient.Span;
        double total = 0, weightSum = 0, invT = 1.0 / Temperature;
        for (int i = 0; i < n; i++) weightSum += w.IsEmpty ? 1 : w[i];
        double scale = weightSum > 0 ? Temperature / weightSum : 0;
        for (int i = 0; i < n; i++)
        {
            var si = s.Slice(i * c, c);
            var ti = t.Slice(i * c, c);
            LogSoftmax(ti, invT, _logP.AsSpan(0, c));
            LogSoftmax(si, invT, _logQ.AsSpan(0, c));
            double wi = w.IsEmpty ? 1 : w[i], kl = 0;
            for (int k = 0; k < c; k++)
            {
                double logP = _logP[k], p = Math.Exp(logP), q = Math.Exp(_logQ[k]);
                if (p > 0) kl += p * (logP - _logQ[k]);
                g[i * c + k] = (float)(scale * wi * (q - p));
            }
            total += wi * kl;
        }
        _forwardCalled = true;
        return weightSum > 0 ? (float)(Temperature * Temperature * total / weightSum) : 0f;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not been called.</exception>
    public override Tensor Backward()
    {
        LossValidation.CheckForwardCalled(_forwardCalled, Name);
        return _gradient;
    }

    private static void LogSoftmax(ReadOnlySpan<float> logits, double invT, Span<double> result)
    {
        double max = double.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v * invT);
        double sum = 0;
        for (int k = 0; k < logits.Length; k++) sum += Math.Exp(logits[k] * invT - max);
        double logSum = max + Math.Log(sum);
        for (int k = 0; k < logits.Length; k++) result[k] = logits[k] * invT - logSum;
    }
}
