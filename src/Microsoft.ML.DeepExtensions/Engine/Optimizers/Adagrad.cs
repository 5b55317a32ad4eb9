using System.Numerics;

namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>
/// Adagrad (Duchi, Hazan &amp; Singer 2011; PyTorch <c>torch.optim.Adagrad</c> 1.13).
/// </summary>
/// <remarks>
/// <para>Step <c>t</c> (1-based), with gradient <c>g</c> (penalties of the base class already added):</para>
/// <code>
/// g = g + weight_decay·w
/// clr = lr / (1 + (t - 1)·lr_decay)
/// s = s + g²                                   (s starts at initial_accumulator_value)
/// w = w - clr·g / (sqrt(s) + eps)
/// </code>
/// <para>Defaults: lr 0.01, lr decay 0, eps 1e-10, initial accumulator 0, weight decay 0.</para>
/// </remarks>
public sealed class Adagrad : Optimizer
{
    private readonly float[][] _sum;

    /// <summary>Creates an Adagrad optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size; default 0.01.</param>
    /// <param name="learningRateDecay">PyTorch's <c>lr_decay</c>, finite and ≥ 0; default 0.</param>
    /// <param name="epsilon">Added to the denominator for stability, finite and ≥ 0; default 1e-10.</param>
    /// <param name="initialAccumulatorValue">Starting value of the squared-gradient sums, finite and ≥ 0; default 0.</param>
    /// <param name="weightDecay">Coupled weight decay, finite and ≥ 0; default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range.</exception>
    public Adagrad(IEnumerable<Parameter> parameters, float learningRate = 0.01f, float learningRateDecay = 0f, float epsilon = 1e-10f,
        float initialAccumulatorValue = 0f, float weightDecay = 0f)
        : base(parameters, learningRate)
    {
        LearningRateDecay = OptimizerArguments.NonNegative(learningRateDecay, nameof(learningRateDecay));
        Epsilon = OptimizerArguments.NonNegative(epsilon, nameof(epsilon));
        InitialAccumulatorValue = OptimizerArguments.NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        WeightDecay = weightDecay;
        _sum = Parameters.Select(p => new float[p.Value.Length]).ToArray();
        ResetState();
    }

    /// <summary>The learning-rate decay (PyTorch <c>lr_decay</c>).</summary>
    public float LearningRateDecay { get; }

    /// <summary>The denominator's stabilizer (eps).</summary>
    public float Epsilon { get; }

    /// <summary>The starting value of the squared-gradient sums.</summary>
    public float InitialAccumulatorValue { get; }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, Span<float> gradient)
    {
        Span<float> s = _sum[index];
        CheckStateLength(index, s.Length, value.Length);
        float clr = (float)(LearningRate / (1 + (StepCount - 1) * (double)LearningRateDecay));
        float wd = WeightDecay, eps = Epsilon;

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= value.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var w = new Vector<float>(value[i..]);
                var g = new Vector<float>(gradient[i..]) + wd * w;
                var si = new Vector<float>(s[i..]) + g * g;
                si.CopyTo(s[i..]);
                (w - clr * (g / (Vector.SquareRoot(si) + new Vector<float>(eps)))).CopyTo(value[i..]);
            }
        }
        for (; i < value.Length; i++)
        {
            float w = value[i];
            float g = gradient[i] + wd * w;
            float si = s[i] + g * g;
            s[i] = si;
            value[i] = w - clr * (g / (MathF.Sqrt(si) + eps));
        }
    }

    /// <inheritdoc />
    protected override void ResetState()
    {
        foreach (var x in _sum) Array.Fill(x, InitialAccumulatorValue);
    }
}
