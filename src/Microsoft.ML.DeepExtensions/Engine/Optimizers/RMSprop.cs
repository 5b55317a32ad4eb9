using System.Numerics;

namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>
/// RMSprop (Hinton, Coursera lecture 6e; PyTorch <c>torch.optim.RMSprop</c> 1.13), optionally centered
/// (Graves 2013) and with momentum.
/// </summary>
/// <remarks>
/// <para>Each step, with gradient <c>g</c> (penalties of the base class already added):</para>
/// <code>
/// g = g + weight_decay·w
/// s = α·s + (1 - α)·g²
/// centered:  a = α·a + (1 - α)·g;  d = sqrt(s - a²) + eps     otherwise  d = sqrt(s) + eps
/// momentum &gt; 0:  b = momentum·b + g/d;  w = w - lr·b            otherwise  w = w - lr·g/d
/// </code>
/// <para>All state starts at zero. Defaults: lr 0.01, α 0.99, eps 1e-8, momentum 0, not centered, weight
/// decay 0. (Keras' RMSprop uses lr 1e-3, ρ 0.9, eps 1e-7.)</para>
/// </remarks>
public sealed class RMSprop : Optimizer
{
    private readonly float[][] _squareAverage;
    private readonly float[][] _gradientAverage;
    private readonly float[][] _momentumBuffer;

    /// <summary>Creates an RMSprop optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size; default 0.01.</param>
    /// <param name="alpha">Smoothing constant of the squared-gradient average, in [0, 1); default 0.99.</param>
    /// <param name="epsilon">Added to the denominator for stability, finite and ≥ 0; default 1e-8.</param>
    /// <param name="momentum">Momentum factor, finite and ≥ 0; default 0.</param>
    /// <param name="centered">Normalise by the estimated variance instead of the second moment; default false.</param>
    /// <param name="weightDecay">Coupled weight decay, finite and ≥ 0; default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range.</exception>
    public RMSprop(IEnumerable<Parameter> parameters, float learningRate = 0.01f, float alpha = 0.99f, float epsilon = 1e-8f,
        float momentum = 0f, bool centered = false, float weightDecay = 0f)
        : base(parameters, learningRate)
    {
        Alpha = OptimizerArguments.UnitInterval(alpha, nameof(alpha));
        Epsilon = OptimizerArguments.NonNegative(epsilon, nameof(epsilon));
        Momentum = OptimizerArguments.NonNegative(momentum, nameof(momentum));
        Centered = centered;
        WeightDecay = weightDecay;
        _squareAverage = Parameters.Select(p => new float[p.Value.Length]).ToArray();
        _gradientAverage = centered ? Parameters.Select(p => new float[p.Value.Length]).ToArray() : [];
        _momentumBuffer = momentum > 0f ? Parameters.Select(p => new float[p.Value.Length]).ToArray() : [];
    }

    /// <summary>The smoothing constant α.</summary>
    public float Alpha { get; }

    /// <summary>The denominator's stabilizer (eps).</summary>
    public float Epsilon { get; }

    /// <summary>The momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>True for the centered variant.</summary>
    public bool Centered { get; }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, Span<float> gradient)
    {
        Span<float> s = _squareAverage[index];
        CheckStateLength(index, s.Length, value.Length);
        Span<float> a = Centered ? _gradientAverage[index] : default;
        Span<float> b = Momentum > 0f ? _momentumBuffer[index] : default;
        float lr = LearningRate, wd = WeightDecay, alpha = Alpha, rest = 1f - Alpha, eps = Epsilon, momentum = Momentum;
        bool centered = Centered, useMomentum = momentum > 0f;

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= value.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var w = new Vector<float>(value[i..]);
                var g = new Vector<float>(gradient[i..]) + wd * w;
                var si = alpha * new Vector<float>(s[i..]) + rest * (g * g);
                si.CopyTo(s[i..]);
                Vector<float> variance = si;
                if (centered)
                {
                    var ai = alpha * new Vector<float>(a[i..]) + rest * g;
                    ai.CopyTo(a[i..]);
                    variance = si - ai * ai;
                }
                var step = g / (Vector.SquareRoot(variance) + new Vector<float>(eps));
                if (useMomentum)
                {
                    step = momentum * new Vector<float>(b[i..]) + step;
                    step.CopyTo(b[i..]);
                }
                (w - lr * step).CopyTo(value[i..]);
            }
        }
        for (; i < value.Length; i++)
        {
            float w = value[i];
            float g = gradient[i] + wd * w;
            float si = alpha * s[i] + rest * (g * g);
            s[i] = si;
            float variance = si;
            if (centered)
            {
                float ai = alpha * a[i] + rest * g;
                a[i] = ai;
                variance = si - ai * ai;
            }
            float step = g / (MathF.Sqrt(variance) + eps);
            if (useMomentum)
            {
                step = momentum * b[i] + step;
                b[i] = step;
            }
            value[i] = w - lr * step;
        }
    }

    /// <inheritdoc />
    protected override void ResetState()
    {
        foreach (var x in _squareAverage) Array.Clear(x);
        foreach (var x in _gradientAverage) Array.Clear(x);
        foreach (var x in _momentumBuffer) Array.Clear(x);
    }
}
