using System.Numerics;
using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum (PyTorch <c>torch.optim.SGD</c> 1.13,
/// Sutskever et al. 2013).
/// </summary>
/// <remarks>
/// <para>Each step, with gradient <c>g</c> (penalties of the base class already added):</para>
/// <code>
/// g = g + weight_decay·w
/// if momentum ≠ 0:
///     b = g                                   (first step)
///     b = momentum·b + (1 - dampening)·g      (later steps)
///     g = nesterov ? g + momentum·b : b
/// w = w - lr·g
/// </code>
/// <para>The momentum buffers are allocated once, when the optimizer is created.</para>
/// </remarks>
public sealed class Sgd : Optimizer
{
    private readonly float[][] _momentumBuffers;
    private readonly bool[] _initialized;

    /// <summary>Creates an SGD optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size <c>lr</c> (PyTorch requires it; a usual value is 0.01 to 0.1).</param>
    /// <param name="momentum">Momentum factor, finite and ≥ 0; default 0 (plain SGD).</param>
    /// <param name="dampening">Dampening of the momentum, in <c>[0, 1]</c>; default 0.</param>
    /// <param name="nesterov">Nesterov momentum; default false. Requires <paramref name="momentum"/> &gt; 0 and <paramref name="dampening"/> = 0.</param>
    /// <param name="weightDecay">Coupled weight decay (L2 on every parameter), finite and ≥ 0; default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range.</exception>
    /// <exception cref="ArgumentException"><paramref name="nesterov"/> with zero momentum or non-zero dampening.</exception>
    public Sgd(IEnumerable<Parameter> parameters, float learningRate, float momentum = 0f, float dampening = 0f, bool nesterov = false, float weightDecay = 0f)
        : base(parameters, learningRate)
    {
        Momentum = OptimizerArguments.NonNegative(momentum, nameof(momentum));
        Dampening = OptimizerArguments.ClosedUnitInterval(dampening, nameof(dampening));
        if (nesterov && (momentum <= 0f || dampening != 0f))
            throw new ArgumentException($"Nesterov momentum requires momentum > 0 and dampening = 0; got momentum {momentum}, dampening {dampening}.", nameof(nesterov));
        Nesterov = nesterov;
        WeightDecay = weightDecay;
        _initialized = new bool[Parameters.Count];
        _momentumBuffers = momentum == 0f ? [] : Parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    /// <summary>The momentum factor.</summary>
    public float Momentum { get; }

    /// <summary>The momentum dampening.</summary>
    public float Dampening { get; }

    /// <summary>True for Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    protected override void Update(int index, Span<float> value, Span<float> gradient)
    {
        float lr = LearningRate, wd = WeightDecay;
        if (Momentum == 0f)
        {
            // w - lr·(g + wd·w) = (1 - lr·wd)·w - lr·g, leaving the gradient untouched.
            if (wd != 0f) TensorPrimitives.Multiply(value, 1f - lr * wd, value);
            TensorPrimitives.MultiplyAdd(gradient, -lr, value, value);
            return;
        }

        var buffer = _momentumBuffers[index].AsSpan();
        CheckStateLength(index, buffer.Length, value.Length);
        bool first = !_initialized[index];
        _initialized[index] = true;
        float momentum = Momentum, keep = first ? 0f : momentum, add = first ? 1f : 1f - Dampening;
        // The step direction is plain·g + bufferFactor·b: g + momentum·b for Nesterov, b otherwise.
        float plain = Nesterov ? 1f : 0f, bufferFactor = Nesterov ? momentum : 1f;

        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= value.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var w = new Vector<float>(value[i..]);
                var g = new Vector<float>(gradient[i..]) + wd * w;
                var b = keep * new Vector<float>(buffer[i..]) + add * g;
                b.CopyTo(buffer[i..]);
                (w - lr * (plain * g + bufferFactor * b)).CopyTo(value[i..]);
            }
        }
        for (; i < value.Length; i++)
        {
            float w = value[i];
            float g = gradient[i] + wd * w;
            float b = keep * buffer[i] + add * g;
            buffer[i] = b;
            value[i] = w - lr * (plain * g + bufferFactor * b);
        }
    }

    /// <inheritdoc />
    protected override void ResetState()
    {
        Array.Clear(_initialized);
        foreach (var b in _momentumBuffers) Array.Clear(b);
    }
}
