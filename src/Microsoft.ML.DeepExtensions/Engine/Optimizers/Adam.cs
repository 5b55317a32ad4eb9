using System.Numerics;
using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015; PyTorch <c>torch.optim.Adam</c> 1.13), with optional AMSGrad (Reddi et al. 2018).
/// </summary>
/// <remarks>
/// <para>Step <c>t</c> (1-based), with gradient <c>g</c> (penalties of the base class already added):</para>
/// <code>
/// g = g + weight_decay·w                      (coupled; AdamW decouples it)
/// m = β1·m + (1 - β1)·g
/// v = β2·v + (1 - β2)·g²
/// v̂ = amsgrad ? (v_max = max(v_max, v)) : v
/// w = w - lr/(1 - β1^t) · m / (sqrt(v̂)/sqrt(1 - β2^t) + eps)
/// </code>
/// <para>Defaults: lr 1e-3, β1 0.9, β2 0.999, eps 1e-8, weight decay 0, no AMSGrad. The moment arrays are
/// allocated once, when the optimizer is created.</para>
/// </remarks>
public class Adam : Optimizer
{
    private readonly float[][] _m;
    private readonly float[][] _v;
    private readonly float[][] _vMax;
    private readonly bool _decoupled;

    /// <summary>Creates an Adam optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size; default 1e-3.</param>
    /// <param name="beta1">Decay of the first-moment estimate, in [0, 1); default 0.9.</param>
    /// <param name="beta2">Decay of the second-moment estimate, in [0, 1); default 0.999.</param>
    /// <param name="epsilon">Added to the denominator for stability, finite and ≥ 0; default 1e-8.</param>
    /// <param name="weightDecay">Coupled weight decay (<c>g += wd·w</c>), finite and ≥ 0; default 0.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (AMSGrad); default false.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range.</exception>
    public Adam(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0f, bool amsgrad = false)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: false)
    {
    }

    private protected Adam(IEnumerable<Parameter> parameters, float learningRate, float beta1, float beta2,
        float epsilon, float weightDecay, bool amsgrad, bool decoupledWeightDecay)
        : base(parameters, learningRate)
    {
        Beta1 = OptimizerArguments.UnitInterval(beta1, nameof(beta1));
        Beta2 = OptimizerArguments.UnitInterval(beta2, nameof(beta2));
        Epsilon = OptimizerArguments.NonNegative(epsilon, nameof(epsilon));
        WeightDecay = weightDecay;
        AmsGrad = amsgrad;
        _decoupled = decoupledWeightDecay;
        _m = Parameters.Select(p => new float[p.Value.Length]).ToArray();
        _v = Parameters.Select(p => new float[p.Value.Length]).ToArray();
        _vMax = amsgrad ? Parameters.Select(p => new float[p.Value.Length]).ToArray() : [];
    }

    /// <summary>Decay rate of the first moment (β1).</summary>
    public float Beta1 { get; }

    /// <summary>Decay rate of the second moment (β2).</summary>
    public float Beta2 { get; }

    /// <summary>The denominator's stabilizer (eps).</summary>
    public float Epsilon { get; }

    /// <summary>True when the AMSGrad variant is used.</summary>
    public bool AmsGrad { get; }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, Span<float> gradient)
    {
        Span<float> m = _m[index], v = _v[index];
        CheckStateLength(index, m.Length, value.Length);
        Span<float> vMax = AmsGrad ? _vMax[index] : default;
        float lr = LearningRate;
        float coupledDecay = _decoupled ? 0f : WeightDecay;
        if (_decoupled && WeightDecay != 0f)
            TensorPrimitives.Multiply(value, 1f - lr * WeightDecay, value);

        int t = StepCount;
        float stepSize = (float)(lr / (1 - Math.Pow(Beta1, t)));
        float inverseCorrection2 = (float)(1 / Math.Sqrt(1 - Math.Pow(Beta2, t)));
        float b1 = Beta1, c1 = 1f - Beta1, b2 = Beta2, c2 = 1f - Beta2, eps = Epsilon;
        bool ams = AmsGrad;

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= value.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var w = new Vector<float>(value[i..]);
                var g = new Vector<float>(gradient[i..]) + coupledDecay * w;
                var mi = b1 * new Vector<float>(m[i..]) + c1 * g;
                var vi = b2 * new Vector<float>(v[i..]) + c2 * (g * g);
                mi.CopyTo(m[i..]);
                vi.CopyTo(v[i..]);
                if (ams)
                {
                    vi = Vector.Max(new Vector<float>(vMax[i..]), vi);
                    vi.CopyTo(vMax[i..]);
                }
                var denominator = Vector.SquareRoot(vi) * inverseCorrection2 + new Vector<float>(eps);
                (w - stepSize * (mi / denominator)).CopyTo(value[i..]);
            }
        }
        for (; i < value.Length; i++)
        {
            float w = value[i];
            float g = gradient[i] + coupledDecay * w;
            float mi = b1 * m[i] + c1 * g;
            float vi = b2 * v[i] + c2 * (g * g);
            m[i] = mi;
            v[i] = vi;
            if (ams)
            {
                vi = MathF.Max(vMax[i], vi);
                vMax[i] = vi;
            }
            value[i] = w - stepSize * (mi / (MathF.Sqrt(vi) * inverseCorrection2 + eps));
        }
    }

    /// <inheritdoc />
    protected override void ResetState()
    {
        foreach (var a in _m) Array.Clear(a);
        foreach (var a in _v) Array.Clear(a);
        foreach (var a in _vMax) Array.Clear(a);
    }
}
