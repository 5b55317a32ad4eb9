using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Gaussian error linear unit <c>GELU(x) = x · Φ(x)</c> (Hendrycks &amp; Gimpel, "Gaussian Error Linear
/// Units", 2016) and its derivative, evaluated per element in float64.
/// </summary>
/// <remarks>
/// The exact form uses <see cref="SpecialFunctions.Erfc"/> (relative error below 1.2e-7, so the
/// negative tail keeps full float32 precision). The tanh form is evaluated as <c>x · σ(2u)</c>,
/// <c>u = √(2/π)·(x + 0.044715·x³)</c>, which equals <c>x·(1 + tanh u)/2</c> without its cancellation
/// for large negative <c>x</c>.
/// </remarks>
public static class GeluKernels
{
    private const double SqrtTwoOverPi = 0.79788456080286535588;
    private const double Cubic = 0.044715;

    /// <summary>Writes <c>y = x · Φ(x)</c>.</summary>
    public static void Gelu(ReadOnlySpan<float> x, Span<float> y, GeluApproximation approximate)
    {
        ActivationKernels.CheckLengths(x.Length, y.Length, y.Length);
        if (approximate == GeluApproximation.Tanh)
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i];
                double u = SqrtTwoOverPi * (v + Cubic * v * v * v);
                y[i] = (float)(v * ActivationKernels.StableSigmoid(2.0 * u));
            }
        }
        else
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i];
                y[i] = (float)(v * SpecialFunctions.NormalCdf(v));
            }
        }
    }

    /// <summary>Writes <c>dx = dy · d/dx[x · Φ(x)]</c>: <c>Φ(x) + x·φ(x)</c> (exact) or the derivative of the tanh form.</summary>
    public static void GeluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, GeluApproximation approximate)
    {
        ActivationKernels.CheckLengths(x.Length, dy.Length, dx.Length);
        if (approximate == GeluApproximation.Tanh)
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i];
                double u = SqrtTwoOverPi * (v + Cubic * v * v * v);
                double du = SqrtTwoOverPi * (1.0 + 3.0 * Cubic * v * v);
                double s = ActivationKernels.StableSigmoid(2.0 * u);
                dx[i] = (float)(dy[i] * (s + 2.0 * v * s * (1.0 - s) * du));
            }
        }
        else
        {
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i];
                dx[i] = (float)(dy[i] * (SpecialFunctions.NormalCdf(v) + v * SpecialFunctions.NormalPdf(v)));
            }
        }
    }
}
