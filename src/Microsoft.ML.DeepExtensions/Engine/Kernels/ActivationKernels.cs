using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Point-wise activation functions and their derivatives on flat spans (the functional counterparts of
/// the activation layers, as in <c>torch.nn.functional</c>).
/// </summary>
/// <remarks>
/// Every forward kernel reads <c>x</c> and writes <c>y</c> (same length); every backward kernel writes
/// <c>dx = dy · f'(x)</c>. Outputs may alias inputs of the same role only where stated. Kernels are
/// single-threaded and SIMD (<see cref="Vector{T}"/> or <see cref="TensorPrimitives"/>) where the
/// math allows float32; functions that need <c>exp</c> near cancellation (ELU, Softplus) run in float64
/// per element to match PyTorch within one or two float32 ulps.
/// </remarks>
public static class ActivationKernels
{
    /// <summary>Logistic sigmoid <c>y = 1 / (1 + e^(-x))</c>.</summary>
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Sigmoid(x, y);

    /// <summary>Sigmoid derivative from the output: <c>dx = dy · y · (1 - y)</c>.</summary>
    public static void SigmoidBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(y.Length, dy.Length, dx.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
            var ov = MemoryMarshal.Cast<float, Vector<float>>(dx);
            for (int v = 0; v < yv.Length; v++) ov[v] = gv[v] * yv[v] * (one - yv[v]);
            i = yv.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++) dx[i] = dy[i] * y[i] * (1f - y[i]);
    }

    /// <summary>Hyperbolic tangent <c>y = tanh(x)</c>.</summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Tanh(x, y);

    /// <summary>Tanh derivative from the output: <c>dx = dy · (1 - y²)</c>.</summary>
    public static void TanhBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(y.Length, dy.Length, dx.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            var yv = MemoryMarshal.Cast<float, Vector<float>>(y);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
            var ov = MemoryMarshal.Cast<float, Vector<float>>(dx);
            for (int v = 0; v < yv.Length; v++) ov[v] = gv[v] * (one - yv[v] * yv[v]);
            i = yv.Length * Vector<float>.Count;
        }
        for (; i < y.Length; i++) dx[i] = dy[i] * (1f - y[i] * y[i]);
    }

    /// <summary>Rectified linear unit <c>y = max(x, 0)</c> (NaN propagates).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>ReLU derivative: <c>dx = dy</c> where <c>x &gt; 0</c>, else 0 (PyTorch's subgradient 0 at <c>x = 0</c>).</summary>
    public static void ReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx) =>
        LeakyReluBackward(x, dy, dx, 0f);

    /// <summary>Leaky ReLU <c>y = x</c> for <c>x &gt; 0</c>, else <c>negativeSlope · x</c>.</summary>
    public static void LeakyRelu(ReadOnlySpan<float> x, Span<float> y, float negativeSlope)
    {
        CheckLengths(x.Length, y.Length, y.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(negativeSlope);
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var ov = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int v = 0; v < xv.Length; v++)
                ov[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<float>.Zero), xv[v], xv[v] * s);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) y[i] = x[i] > 0f ? x[i] : x[i] * negativeSlope;
    }

    /// <summary>Leaky ReLU derivative: <c>dx = dy</c> where <c>x &gt; 0</c>, else <c>negativeSlope · dy</c>.</summary>
    public static void LeakyReluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float negativeSlope)
    {
        CheckLengths(x.Length, dy.Length, dx.Length);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var s = new Vector<float>(negativeSlope);
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
            var ov = MemoryMarshal.Cast<float, Vector<float>>(dx);
            for (int v = 0; v < xv.Length; v++)
                ov[v] = Vector.ConditionalSelect(Vector.GreaterThan(xv[v], Vector<float>.Zero), gv[v], gv[v] * s);
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++) dx[i] = x[i] > 0f ? dy[i] : dy[i] * negativeSlope;
    }

    /// <summary>Exponential linear unit <c>y = x</c> for <c>x &gt; 0</c>, else <c>alpha · (e^x - 1)</c> (Clevert et al., 2016).</summary>
    public static void Elu(ReadOnlySpan<float> x, Span<float> y, float alpha)
    {
        CheckLengths(x.Length, y.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
            y[i] = x[i] > 0f ? x[i] : (float)(alpha * SpecialFunctions.ExpM1(x[i]));
    }

    /// <summary>ELU derivative: <c>dx = dy</c> for <c>x &gt; 0</c>, else <c>dy · alpha · e^x</c>.</summary>
    public static void EluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float alpha)
    {
        CheckLengths(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++)
            dx[i] = x[i] > 0f ? dy[i] : (float)(dy[i] * (alpha * Math.Exp(x[i])));
    }

    /// <summary>Sigmoid linear unit (swish) <c>y = x · σ(x)</c> (Hendrycks &amp; Gimpel, 2016; Ramachandran et al., 2017).</summary>
    /// <remarks><paramref name="y"/> must not overlap <paramref name="x"/>.</remarks>
    public static void Silu(ReadOnlySpan<float> x, Span<float> y)
    {
        TensorPrimitives.Sigmoid(x, y);
        TensorPrimitives.Multiply(x, y, y);
    }

    /// <summary>SiLU derivative: <c>dx = dy · σ(x) · (1 + x · (1 - σ(x)))</c>.</summary>
    /// <remarks><paramref name="dx"/> must not overlap <paramref name="x"/> or <paramref name="dy"/>.</remarks>
    public static void SiluBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(x.Length, dy.Length, dx.Length);
        TensorPrimitives.Sigmoid(x, dx);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var one = Vector<float>.One;
            var xv = MemoryMarshal.Cast<float, Vector<float>>(x);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(dy);
            var ov = MemoryMarshal.Cast<float, Vector<float>>(dx);
            for (int v = 0; v < xv.Length; v++)
            {
                var s = ov[v];
                ov[v] = gv[v] * s * (one + xv[v] * (one - s));
            }
            i = xv.Length * Vector<float>.Count;
        }
        for (; i < x.Length; i++)
        {
            float s = dx[i];
            dx[i] = dy[i] * s * (1f + x[i] * (1f - s));
        }
    }

    /// <summary>
    /// Softplus <c>y = log(1 + e^(beta·x)) / beta</c>, reverting to <c>y = x</c> where <c>beta·x &gt; threshold</c>
    /// (PyTorch's rule). Computed stably as <c>(max(z, 0) + log1p(e^(-|z|))) / beta</c> with <c>z = beta·x</c>.
    /// </summary>
    public static void Softplus(ReadOnlySpan<float> x, Span<float> y, float beta, float threshold)
    {
        CheckLengths(x.Length, y.Length, y.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double z = (double)x[i] * beta;
            y[i] = z > threshold ? x[i] : (float)((Math.Max(z, 0.0) + SpecialFunctions.Log1P(Math.Exp(-Math.Abs(z)))) / beta);
        }
    }

    /// <summary>Softplus derivative: <c>dx = dy · σ(beta·x)</c>, or <c>dy</c> where <c>beta·x &gt; threshold</c>.</summary>
    public static void SoftplusBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float beta, float threshold)
    {
        CheckLengths(x.Length, dy.Length, dx.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double z = (double)x[i] * beta;
            dx[i] = z > threshold ? dy[i] : (float)(dy[i] * StableSigmoid(z));
        }
    }

    /// <summary>σ(z) in float64 without overflow for either sign of <paramref name="z"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double StableSigmoid(double z)
    {
        if (z >= 0) return 1.0 / (1.0 + Math.Exp(-z));
        double e = Math.Exp(z);
        return e / (1.0 + e);
    }

    internal static void CheckLengths(int a, int b, int c)
    {
        if (a != b || a != c)
            throw new ArgumentException($"Span lengths differ ({a}, {b}, {c}); activation kernels need equal lengths.");
    }
}
