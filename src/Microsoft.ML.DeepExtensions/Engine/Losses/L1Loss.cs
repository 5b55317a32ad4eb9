namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>
/// Mean absolute error (PyTorch <c>nn.L1Loss</c>, Keras <c>MeanAbsoluteError</c>):
/// <c>l = |prediction - target|</c>, averaged over all elements.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Prediction <c>(N)</c> or <c>(N, D)</c> (any batch-first shape); target of the same shape
/// (<c>(N)</c> and <c>(N, 1)</c> are interchangeable); optional per-example weights <c>(N)</c>.</para>
/// <para><b>Reduction.</b> <c>Σ_i w_i·Σ_j l_ij / (D·Σ_i w_i)</c>: the mean over all elements, a per-example weight
/// applying to every element of its row. Gradient <c>w_i·sign(prediction - target) / (D·Σ w)</c> with
/// <c>sign(0) = 0</c> (PyTorch's subgradient).</para>
/// </remarks>
/// <exception cref="ArgumentException">(from <see cref="Forward"/>) The shapes differ, or a weight is negative or not finite.</exception>
public sealed class L1Loss : Loss
{
    private readonly Tensor _gradient = new(0);
    private bool _forwardCalled;

    /// <inheritdoc />
    public override float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null)
    {
        float value = PointwiseLossKernel.Forward(new Absolute(), prediction, target, sampleWeight, _gradient, Name);
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

    private readonly struct Absolute : IPointwiseLoss
    {
        public double Value(float difference) => Math.Abs((double)difference);

        // sign(d) with sign(0) = 0; NaN stays NaN.
        public float Derivative(float difference) => difference > 0f ? 1f : difference < 0f ? -1f : difference * 0f;
    }
}
