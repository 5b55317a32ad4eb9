using System.Numerics;
using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The point-wise part of one Elman RNN step for one sequence (PyTorch <c>nn.RNN</c>):
/// <c>h' = act(a)</c> with <c>a = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh</c> and <c>act</c> = tanh or ReLU.
/// </summary>
/// <remarks>Spans hold one row <c>[H]</c>. Single-threaded, allocation-free.</remarks>
public static class RnnCellKernels
{
    /// <summary>Forward: applies the activation in place (<paramref name="values"/>: in <c>a</c>, out <c>h'</c>).</summary>
    /// <param name="values">Pre-activations in, hidden state out <c>[H]</c>.</param>
    /// <param name="relu">True for ReLU, false for tanh.</param>
    public static void Forward(Span<float> values, bool relu)
    {
        if (relu) TensorPrimitives.Max(values, 0f, values);
        else TensorPrimitives.Tanh(values, values);
    }

    /// <summary>Backward: <c>da = dh ⊙ act'(a)</c>, computed from the output <c>h'</c> (<c>1 - h'²</c> for tanh; <c>h' &gt; 0</c> for ReLU).</summary>
    /// <param name="hidden">The step's output <c>h'</c> <c>[H]</c>.</param>
    /// <param name="hiddenGradient">dL/dh' <c>[H]</c>.</param>
    /// <param name="preActivationGradient">Receives dL/da <c>[H]</c>.</param>
    /// <param name="relu">True for ReLU, false for tanh.</param>
    public static void Backward(ReadOnlySpan<float> hidden, ReadOnlySpan<float> hiddenGradient, Span<float> preActivationGradient, bool relu)
    {
        int h = hidden.Length;
        int j = 0;
        if (Vector.IsHardwareAccelerated && h >= Vector<float>.Count)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; j <= h - w; j += w)
            {
                var y = new Vector<float>(hidden[j..]);
                var dy = new Vector<float>(hiddenGradient[j..]);
                var d = relu ? Vector.ConditionalSelect(Vector.GreaterThan(y, Vector<float>.Zero), dy, Vector<float>.Zero) : dy * (one - y * y);
                d.CopyTo(preActivationGradient[j..]);
            }
        }
        for (; j < h; j++)
        {
            float y = hidden[j];
            preActivationGradient[j] = relu ? (y > 0f ? hiddenGradient[j] : 0f) : hiddenGradient[j] * (1f - y * y);
        }
    }
}
