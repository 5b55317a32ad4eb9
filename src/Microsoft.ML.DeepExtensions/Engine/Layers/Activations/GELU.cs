using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Gaussian error linear unit, element-wise: <c>GELU(x) = x · Φ(x)</c>, Φ the standard normal CDF
/// (PyTorch <c>nn.GELU</c>; Hendrycks &amp; Gimpel, "Gaussian Error Linear Units (GELUs)", 2016).
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>approximate</c>: <see cref="GeluApproximation.None"/> (default) uses
/// <c>Φ(x) = (1 + erf(x/√2)) / 2</c>; <see cref="GeluApproximation.Tanh"/> uses
/// <c>Φ(x) ≈ (1 + tanh(√(2/π)·(x + 0.044715·x³))) / 2</c>.</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> Exact form: <c>dx = dy · (Φ(x) + x·φ(x))</c>, φ the normal density; the tanh form
/// differentiates its own approximation. Both are evaluated in float64 (see <see cref="GeluKernels"/>).</para>
/// </remarks>
public sealed class GELU : ActivationLayer
{
    /// <summary>Creates a GELU.</summary>
    /// <param name="approximate">Which form of Φ to use. Default <see cref="GeluApproximation.None"/> (exact erf).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="approximate"/> is not a defined value.</exception>
    public GELU(GeluApproximation approximate = GeluApproximation.None)
    {
        if (!Enum.IsDefined(approximate)) throw new ArgumentOutOfRangeException(nameof(approximate), approximate, "Unknown GELU approximation.");
        Approximate = approximate;
    }

    /// <summary>Which form of Φ is used.</summary>
    public GeluApproximation Approximate { get; }

    /// <inheritdoc />
    public override string Name => Approximate == GeluApproximation.None ? "GELU" : "GELU(tanh)";

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        GeluKernels.Gelu(input.Span, output.Span, Approximate);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        GeluKernels.GeluBackward(input.Span, outputGradient.Span, inputGradient.Span, Approximate);
}
