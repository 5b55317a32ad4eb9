namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>
/// Mean squared error (PyTorch <c>nn.MSELoss</c>, Keras <c>MeanSquaredError</c>):
/// <c>l = (prediction - target)²</c>, averaged over all elements.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Prediction <c>(N)</c> or <c>(N, D)</c> (any batch-first shape); target of the same shape
/// (<c>(N)</c> and <c>(N, 1)</c> are interchangeable); optional per-example weights <c>(N)</c>.</para>
/// <para><b>Reduction.</b> <c>Σ_i w_i·Σ_j l_ij / (D·Σ_i w_i)</c>: the mean over all <c>N·D</c> elements, where a
/// per-example weight applies to every element of its row (a weight of 2 counts the row twice). Gradient
/// <c>2·w_i·(prediction - target) / (D·Σ w)</c>. An all-zero weight vector gives a loss and gradient of 0.</para>
/// </remarks>
/// <exception cref="ArgumentException">(from <see cref="Forward"/>) The shapes differ, or a weight is negative or not finite.</exception>
public sealed class MSELoss : Loss
{
    private readonly Tensor _gradient = new(0);
    private bool _forwardCalled;

    /// <inheritdoc />
    public override float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null)
    {
        float value = PointwiseLossKernel.Forward(new Squared(), prediction, target, sampleWeight, _gradient, Name);
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

    private readonly struct Squared : IPointwiseLoss
    {
        public double Value(float difference) => (double)difference * difference;

        public float Derivative(float difference) => 2f * difference;
    }
}
