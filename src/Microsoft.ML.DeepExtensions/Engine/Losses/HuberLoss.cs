namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>
/// Huber loss (PyTorch <c>nn.HuberLoss</c>, Keras <c>Huber</c>; Huber 1964): quadratic near zero, linear beyond
/// <c>delta</c>, averaged over all elements.
/// </summary>
/// <remarks>
/// <para>With <c>d = prediction - target</c>: <c>l = 0.5·d²</c> when <c>|d| ≤ delta</c>, else
/// <c>delta·(|d| - 0.5·delta)</c>. Gradient <c>d</c> when <c>|d| ≤ delta</c>, else <c>delta·sign(d)</c>.</para>
/// <para><b>Shape.</b> Prediction <c>(N)</c> or <c>(N, D)</c> (any batch-first shape); target of the same shape
/// (<c>(N)</c> and <c>(N, 1)</c> are interchangeable); optional per-example weights <c>(N)</c>.</para>
/// <para><b>Reduction.</b> <c>Σ_i w_i·Σ_j l_ij / (D·Σ_i w_i)</c>: the mean over all elements, a per-example weight
/// applying to every element of its row.</para>
/// </remarks>
/// <exception cref="ArgumentException">(from <see cref="Forward"/>) The shapes differ, or a weight is negative or not finite.</exception>
public sealed class HuberLoss : Loss
{
    private readonly Tensor _gradient = new(0);
    private bool _forwardCalled;

    /// <summary>Creates a Huber loss.</summary>
    /// <param name="delta">Where the loss turns from quadratic to linear; default 1.0. Must be finite and &gt; 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is not finite and &gt; 0.</exception>
    public HuberLoss(float delta = 1.0f)
    {
        if (!(delta > 0f) || !float.IsFinite(delta))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "HuberLoss delta must be finite and > 0.");
        Delta = delta;
    }

    /// <summary>The threshold between the quadratic and the linear part.</summary>
    public float Delta { get; }

    /// <inheritdoc />
    public override float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null)
    {
        float value = PointwiseLossKernel.Forward(new Huber(Delta), prediction, target, sampleWeight, _gradient, Name);
        _forwardCalled = true;
        return value;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No <see cref="Forward"/> call yet.</exception>
    public override Tensor Backward()
    {
        LossValidation.CheckForwardCalled(_forwardCalled, Name);
        return _gradient;
    }

    private readonly struct Huber(float delta) : IPointwiseLoss
    {
        public double Value(float difference)
        {
            double z = Math.Abs((double)difference);
            return z <= delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
        }

        public float Derivative(float difference) =>
            difference > delta ? delta : difference < -delta ? -delta : difference;
    }
}
