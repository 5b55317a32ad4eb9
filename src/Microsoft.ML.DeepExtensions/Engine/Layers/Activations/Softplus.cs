using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Softplus, element-wise: <c>Softplus(x) = log(1 + exp(beta · x)) / beta</c>, a smooth ReLU
/// (PyTorch <c>nn.Softplus</c>). For numerical stability it returns <c>x</c> where <c>beta · x &gt; threshold</c>.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>beta</c>: sharpness, default 1. <c>threshold</c>: above <c>beta·x &gt; threshold</c>
/// the layer is the identity, default 20 (both as PyTorch).</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy · σ(beta · x)</c>, or <c>dy</c> above the threshold.</para>
/// </remarks>
public sealed class Softplus : ActivationLayer
{
    /// <summary>Creates a softplus.</summary>
    /// <param name="beta">Sharpness; must be positive and finite. Default 1.</param>
    /// <param name="threshold">Linear above <c>beta·x &gt; threshold</c>. Default 20.</param>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is not positive and finite, or <paramref name="threshold"/> is NaN.</exception>
    public Softplus(float beta = 1f, float threshold = 20f)
    {
        if (!(beta > 0f) || !float.IsFinite(beta))
            throw new ArgumentException($"beta must be positive and finite, got {beta}.", nameof(beta));
        if (float.IsNaN(threshold))
            throw new ArgumentException("threshold must not be NaN.", nameof(threshold));
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>Sharpness <c>beta</c>.</summary>
    public float Beta { get; }

    /// <summary>Linear-region threshold on <c>beta · x</c>.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override string Name => $"Softplus(beta={Beta}, threshold={Threshold})";

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        ActivationKernels.Softplus(input.Span, output.Span, Beta, Threshold);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.SoftplusBackward(input.Span, outputGradient.Span, inputGradient.Span, Beta, Threshold);
}
