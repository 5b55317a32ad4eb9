using System.Numerics;
using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>
/// Gradient clipping applied between the backward pass and <see cref="Optimizer.Step"/> (PyTorch
/// <c>torch.nn.utils.clip_grad_norm_</c> and <c>clip_grad_value_</c>, Keras <c>global_clipnorm</c> and <c>clipvalue</c>).
/// </summary>
public static class GradientClipping
{
    /// <summary>
    /// The global L2 norm of all gradients, <c>sqrt(Σ_p Σ_i g_pi²)</c>, accumulated in float64 (so large
    /// finite gradients do not overflow).
    /// </summary>
    /// <returns>The norm; NaN or +∞ when a gradient holds a NaN or an infinity (the training loop uses this
    /// to detect non-finite gradients).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or one of its entries is null.</exception>
    public static double GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        for (int p = 0; p < parameters.Count; p++)
        {
            var parameter = parameters[p] ?? throw new ArgumentNullException(nameof(parameters), $"Parameter {p} of the list is null.");
            sum += SumOfSquares(parameter.Gradient.Span);
        }
        return Math.Sqrt(sum);
    }

    /// <summary>
    /// Rescales all gradients together so that their global L2 norm is at most <paramref name="maxNorm"/>
    /// (PyTorch <c>clip_grad_norm_</c> 1.13; Pascanu et al. 2013).
    /// </summary>
    /// <remarks>
    /// With <c>total = </c><see cref="GlobalNorm"/>, every gradient is multiplied by
    /// <c>maxNorm / (total + 1e-6)</c> when that factor is below 1, and left unchanged otherwise. When the
    /// total norm is not finite the gradients are left unchanged (PyTorch would scale them by NaN or 0):
    /// check the returned value and skip the step.
    /// </remarks>
    /// <param name="parameters">The parameters whose gradients are clipped in place.</param>
    /// <param name="maxNorm">The largest allowed global norm, finite and &gt; 0.</param>
    /// <returns>The global norm before clipping.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not finite and &gt; 0.</exception>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        if (!(maxNorm > 0) || !double.IsFinite(maxNorm))
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The maximum gradient norm must be finite and > 0.");
        double total = GlobalNorm(parameters);
        if (!double.IsFinite(total)) return total;
        double scale = maxNorm / (total + 1e-6);
        if (scale < 1)
        {
            for (int p = 0; p < parameters.Count; p++)
            {
                var g = parameters[p].Gradient.Span;
                TensorPrimitives.Multiply(g, (float)scale, g);
            }
        }
        return total;
    }

    /// <summary>
    /// Clamps every gradient element to <c>[-clipValue, clipValue]</c> (PyTorch <c>clip_grad_value_</c>).
    /// NaN elements stay NaN.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are clipped in place.</param>
    /// <param name="clipValue">The largest allowed magnitude, finite and &gt; 0.</param>
    /// <exception cref="ArgumentNullException"><paramref name="parameters"/> or one of its entries is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clipValue"/> is not finite and &gt; 0.</exception>
    public static void ClipByValue(IReadOnlyList<Parameter> parameters, float clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(clipValue > 0f) || !float.IsFinite(clipValue))
            throw new ArgumentOutOfRangeException(nameof(clipValue), clipValue, "The gradient clip value must be finite and > 0.");
        for (int p = 0; p < parameters.Count; p++)
        {
            var parameter = parameters[p] ?? throw new ArgumentNullException(nameof(parameters), $"Parameter {p} of the list is null.");
            var g = parameter.Gradient.Span;
            TensorPrimitives.Min(g, clipValue, g);
            TensorPrimitives.Max(g, -clipValue, g);
        }
    }

    private static double SumOfSquares(ReadOnlySpan<float> x)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            Vector<double> lowSum = Vector<double>.Zero, highSum = Vector<double>.Zero;
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(x[i..]), out var low, out var high);
                lowSum += low * low;
                highSum += high * high;
            }
            sum = Vector.Sum(lowSum + highSum);
        }
        for (; i < x.Length; i++) sum += (double)x[i] * x[i];
        return sum;
    }
}
