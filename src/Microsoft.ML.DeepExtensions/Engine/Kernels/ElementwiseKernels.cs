using System.Numerics;
using System.Runtime.InteropServices;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>Element-wise helpers and reductions shared by layers, losses and optimizers.</summary>
public static class ElementwiseKernels
{
    /// <summary>True when no value is NaN or infinite.</summary>
    /// <remarks><c>v·0</c> is 0 for finite <c>v</c> and NaN for NaN or ±∞, so the sum of those products is NaN exactly when a value is not finite.</remarks>
    public static bool AllFinite(ReadOnlySpan<float> values)
    {
        var acc = Vector<float>.Zero;
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(values);
        foreach (var v in vectors) acc += v * Vector<float>.Zero;
        float tail = 0f;
        for (int i = vectors.Length * Vector<float>.Count; i < values.Length; i++) tail += values[i] * 0f;
        return !float.IsNaN(Vector.Sum(acc) + tail);
    }
}
