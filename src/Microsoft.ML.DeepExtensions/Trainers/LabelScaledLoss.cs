using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// A regression loss measured in the label's units but optimized as if the label were standardized.
/// </summary>
/// <remarks>
/// Regression networks end with <c>Rescaling(σ, μ)</c>, so their output <c>ŷ = σ·z + μ</c> is in label units, and
/// so are the reported loss and metric. Optimizing that loss directly would scale every gradient by σ^p (p = 2 for MSE
/// and Huber, 1 for L1), making the learning rate and the L1/L2 penalties depend on the label's units. This wrapper
/// returns the inner loss's value unchanged and divides its gradient by σ^p, which is exactly the gradient of the loss
/// of the standardized target <c>(y − μ)/σ</c> (for Huber with δ/σ).
/// </remarks>
internal sealed class LabelScaledLoss(Loss inner, int power) : Loss
{
    private readonly Tensor _gradient = new(0);

    /// <summary>σ, the label's standard deviation (1 until set).</summary>
    public float LabelScale { get; set; } = 1f;

    /// <inheritdoc />
    public override float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null) => inner.Forward(prediction, target, sampleWeight);

    /// <inheritdoc />
    public override Tensor Backward()
    {
        Tensor g = inner.Backward();
        _gradient.Resize(g.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(g.Span, 1f / MathF.Pow(LabelScale, power), _gradient.Span);
        return _gradient;
    }

    /// <inheritdoc />
    public override string Name => inner.Name;
}
