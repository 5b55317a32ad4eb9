using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>
/// Updates parameters from their gradients (PyTorch <c>torch.optim.Optimizer</c>).
/// </summary>
/// <remarks>
/// Before the update rule runs, <see cref="Step"/> adds the penalty gradients to every weight
/// parameter (<see cref="Parameter.IsWeight"/>): <c>g += L1·sign(w) + 2·L2·w</c>, which is the
/// gradient of Keras' regularizer loss <c>L1·Σ|w| + L2·Σw²</c>. <see cref="WeightDecay"/> is
/// PyTorch's <c>weight_decay</c>: coupled (<c>g += wd·w</c> on every parameter) for all optimizers but
/// AdamW, where it is decoupled (Loshchilov &amp; Hutter 2019).
/// </remarks>
public abstract class Optimizer
{
    private readonly Parameter[] _parameters;

    /// <summary>Creates an optimizer over <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="parameters"/> holds a null entry.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="learningRate"/> is negative or not finite.</exception>
    protected Optimizer(IEnumerable<Parameter> parameters, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.ToArray();
        if (Array.IndexOf(_parameters, null) is int nullAt and >= 0)
            throw new ArgumentException($"Parameter {nullAt} of the list is null.", nameof(parameters));
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The step size used by the next <see cref="Step"/>; schedules set it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public float LearningRate
    {
        get;
        set
        {
            if (!(value >= 0f) || !float.IsFinite(value))
                throw new ArgumentOutOfRangeException(nameof(LearningRate), value, "The learning rate must be a finite value >= 0.");
            field = value;
        }
    }

    /// <summary>PyTorch's <c>weight_decay</c> (default 0): coupled L2 on every parameter, decoupled for AdamW.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public float WeightDecay { get; init => field = CheckPenalty(value, nameof(WeightDecay)); }

    /// <summary>L1 penalty factor on weights (default 0): adds <c>L1·sign(w)</c> to their gradients.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public float L1 { get; init => field = CheckPenalty(value, nameof(L1)); }

    /// <summary>L2 penalty factor on weights (default 0): adds <c>2·L2·w</c> to their gradients.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Set to a negative or non-finite value.</exception>
    public float L2 { get; init => field = CheckPenalty(value, nameof(L2)); }

    /// <summary>Number of completed <see cref="Step"/> calls.</summary>
    public int StepCount { get; private set; }

    /// <summary>Applies the penalties, then one update to every parameter.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var p = _parameters[i];
            if (p.IsWeight && (L1 != 0f || L2 != 0f))
                AddPenaltyGradient(p.Value.Span, p.Gradient.Span, L1, L2);
            Update(i, p.Value.Span, p.Gradient.Span);
        }
    }

    /// <summary>
    /// Forgets the optimizer's state (moment estimates, momentum buffers, accumulators and
    /// <see cref="StepCount"/>) so that the next <see cref="Step"/> behaves like the first one.
    /// Parameter values and <see cref="LearningRate"/> are unchanged.
    /// </summary>
    public void Reset()
    {
        StepCount = 0;
        ResetState();
    }

    /// <summary>Sets every gradient to zero.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters) p.Gradient.Clear();
    }

    /// <summary>Updates parameter <paramref name="index"/> in place from its gradient (penalties already added).</summary>
    /// <param name="index">The parameter's position in <see cref="Parameters"/> (to find per-parameter state).</param>
    /// <param name="value">The parameter's values.</param>
    /// <param name="gradient">Its gradient; the rule may overwrite it.</param>
    protected abstract void Update(int index, Span<float> value, Span<float> gradient);

    /// <summary>Clears the per-parameter state of the update rule (called by <see cref="Reset"/>).</summary>
    protected virtual void ResetState() { }

    /// <summary>The state array of parameter <paramref name="index"/> must match its length (shapes are fixed once the optimizer is built).</summary>
    /// <exception cref="InvalidOperationException">The parameter was resized after the optimizer was created.</exception>
    protected void CheckStateLength(int index, int stateLength, int valueLength)
    {
        if (stateLength != valueLength)
            throw new InvalidOperationException(
                $"{GetType().Name}: parameter {_parameters[index].Name} now holds {valueLength} values but held {stateLength} when the optimizer was created.");
    }

    private static void AddPenaltyGradient(ReadOnlySpan<float> w, Span<float> g, float l1, float l2)
    {
        float twoL2 = 2f * l2;
        if (l1 == 0f)
        {
            TensorPrimitives.MultiplyAdd(w, twoL2, g, g);
            return;
        }
        for (int i = 0; i < w.Length; i++)
        {
            // sign(w) with sign(0) = 0 (MathF.Sign would throw on NaN; NaN propagates here instead).
            float wi = w[i];
            float sign = wi > 0f ? 1f : wi < 0f ? -1f : wi * 0f;
            g[i] += l1 * sign + twoL2 * wi;
        }
    }

    private static float CheckPenalty(float value, string name) =>
        value >= 0f && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value >= 0.");
}
