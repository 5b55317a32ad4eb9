using System.Runtime.CompilerServices;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Scalar special functions in float64 that .NET's <see cref="Math"/> lacks or computes inaccurately
/// (<c>erfc</c>, <c>log1p</c>, <c>expm1</c>), for activations whose float32 results must match PyTorch to
/// about one unit in the last place.
/// </summary>
public static class SpecialFunctions
{
    /// <summary>
    /// The complementary error function <c>erfc(x) = 1 - erf(x) = (2/√π) ∫ₓ^∞ e^(-t²) dt</c>.
    /// </summary>
    /// <remarks>
    /// Chebyshev-fitted form <c>erfc(z) ≈ t·exp(-z² + P(t))</c> with <c>t = 1/(1 + z/2)</c>, <c>z = |x|</c>,
    /// and a degree-9 polynomial <c>P</c> (Press, Teukolsky, Vetterling &amp; Flannery, <i>Numerical Recipes</i>,
    /// 3rd ed., §6.2.2). Its <b>relative</b> error is below 1.2e-7 for every <c>x</c>, which keeps the
    /// deep tail (<c>erfc(5) ≈ 1.5e-12</c>) accurate, as GELU's negative side needs. For <c>x &lt; 0</c>,
    /// <c>erfc(x) = 2 - erfc(-x)</c>.
    /// </remarks>
    public static double Erfc(double x)
    {
        double z = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
            + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
        double r = t * Math.Exp(-z * z + p);
        return x >= 0 ? r : 2.0 - r;
    }

    /// <summary>The error function <c>erf(x) = (2/√π) ∫₀ˣ e^(-t²) dt = 1 - erfc(x)</c>; absolute error below 1.2e-7.</summary>
    public static double Erf(double x) => 1.0 - Erfc(x);

    /// <summary>The standard normal cumulative distribution <c>Φ(x) = erfc(-x/√2) / 2</c>, with small relative error in both tails.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NormalCdf(double x) => 0.5 * Erfc(-x * 0.70710678118654752440);

    /// <summary>The standard normal density <c>φ(x) = exp(-x²/2) / √(2π)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double NormalPdf(double x) => 0.39894228040143267794 * Math.Exp(-0.5 * x * x);

    /// <summary><c>log(1 + x)</c>, accurate for small <c>|x|</c> (Goldberg's correction: <c>log(u)·x/(u-1)</c> with <c>u = 1 + x</c> rounded).</summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0) return x;
        if (double.IsPositiveInfinity(u)) return u;
        return Math.Log(u) * (x / (u - 1.0));
    }

    /// <summary><c>exp(x) - 1</c>, accurate for small <c>|x|</c> (Kahan's correction: <c>(u-1)·x/log(u)</c> with <c>u = exp(x)</c> rounded).</summary>
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1.0;
        if (um1 == -1.0 || double.IsPositiveInfinity(u)) return um1;
        return um1 * x / Math.Log(u);
    }
}
