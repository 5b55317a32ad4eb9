using System.Numerics;
using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The point-wise part of one GRU step for one sequence (Cho et al., 2014; PyTorch <c>nn.GRU</c> semantics,
/// gate order <c>r, z, n</c>, reset gate applied after the recurrent product):
/// <c>r = σ(a_r + b_r)</c>, <c>z = σ(a_z + b_z)</c>, <c>n = tanh(a_n + r ⊙ (h·W_hnᵀ + b_hn))</c>,
/// <c>h' = (1 - z) ⊙ n + z ⊙ h</c>.
/// </summary>
/// <remarks>
/// The caller computes the input part <c>gi = x·W_ihᵀ + b_ih</c> (with <c>b_hr, b_hz</c> folded into its
/// <c>r, z</c> blocks) and the recurrent part <c>gh = h·W_hhᵀ</c> (no bias) with <see cref="Gemm"/>. Spans hold one
/// row: gates <c>[3H]</c> (blocks <c>r, z, n</c>), states <c>[H]</c>. Single-threaded, allocation-free.
/// </remarks>
public static class GruCellKernels
{
    /// <summary>Forward: writes <c>r, z, n</c> over <paramref name="gates"/>, the recurrent candidate term and <c>h'</c>.</summary>
    /// <param name="gates">In: the input part <c>gi</c> <c>[3H]</c>; out: gate values <c>r, z, n</c>.</param>
    /// <param name="recurrent">The recurrent product <c>gh = h·W_hhᵀ</c> <c>[3H]</c> (no bias), or empty for zeros (first step).</param>
    /// <param name="newGateBias">The bias <c>b_hn</c> <c>[H]</c>, or empty for none.</param>
    /// <param name="hiddenPrevious">The previous hidden state <c>h</c> <c>[H]</c>.</param>
    /// <param name="candidate">Receives <c>h·W_hnᵀ + b_hn</c> <c>[H]</c> (needed by the backward pass).</param>
    /// <param name="hidden">Receives <c>h'</c> <c>[H]</c>.</param>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> newGateBias,
        ReadOnlySpan<float> hiddenPrevious, Span<float> candidate, Span<float> hidden)
    {
        int h = hidden.Length;
        Span<float> rz = gates[..(2 * h)];
        if (!recurrent.IsEmpty) TensorPrimitives.Add(rz, recurrent[..(2 * h)], rz);
        TensorPrimitives.Sigmoid(rz, rz);
        if (recurrent.IsEmpty)
        {
            if (newGateBias.IsEmpty) candidate.Clear();
            else newGateBias.CopyTo(candidate);
        }
        else if (newGateBias.IsEmpty) recurrent.Slice(2 * h, h).CopyTo(candidate);
        else TensorPrimitives.Add(recurrent.Slice(2 * h, h), newGateBias, candidate);

        ReadOnlySpan<float> r = gates[..h], z = gates.Slice(h, h);
        Span<float> n = gates.Slice(2 * h, h);
        TensorPrimitives.FusedMultiplyAdd(r, candidate, n, n);
        TensorPrimitives.Tanh(n, n);
        // h' = n + z ⊙ (h - n)
        TensorPrimitives.Subtract(hiddenPrevious, n, hidden);
        TensorPrimitives.FusedMultiplyAdd(z, hidden, n, hidden);
    }

    /// <summary>Backward through one step, from dL/dh' to the gradients of both pre-activation parts and the direct path to <c>h</c>.</summary>
    /// <param name="gates">The gate values <c>r, z, n</c> <c>[3H]</c> of the step.</param>
    /// <param name="candidate">The step's <c>h·W_hnᵀ + b_hn</c> <c>[H]</c>.</param>
    /// <param name="hiddenPrevious">The previous hidden state <c>h</c> <c>[H]</c>.</param>
    /// <param name="hiddenGradient">dL/dh' <c>[H]</c> (total).</param>
    /// <param name="inputGatesGradient">Receives dL/dgi <c>[3H]</c>: the gradient of <c>x·W_ihᵀ + b_ih</c>.</param>
    /// <param name="recurrentGatesGradient">Receives dL/dgh <c>[3H]</c>: the gradient of <c>h·W_hhᵀ + b_hh</c>.</param>
    /// <param name="hiddenPreviousGradient">Receives the direct part <c>dL/dh' ⊙ z</c> of dL/dh <c>[H]</c> (the caller adds <c>dgh·W_hh</c>).</param>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> candidate, ReadOnlySpan<float> hiddenPrevious,
        ReadOnlySpan<float> hiddenGradient, Span<float> inputGatesGradient, Span<float> recurrentGatesGradient, Span<float> hiddenPreviousGradient)
    {
        int h = candidate.Length;
        ReadOnlySpan<float> r = gates[..h], z = gates.Slice(h, h), n = gates.Slice(2 * h, h);
        Span<float> dir = inputGatesGradient[..h], diz = inputGatesGradient.Slice(h, h), din = inputGatesGradient.Slice(2 * h, h);
        Span<float> dhr = recurrentGatesGradient[..h], dhz = recurrentGatesGradient.Slice(h, h), dhn = recurrentGatesGradient.Slice(2 * h, h);
        int j = 0;
        if (Vector.IsHardwareAccelerated && h >= Vector<float>.Count)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; j <= h - w; j += w)
            {
                var rv = new Vector<float>(r[j..]);
                var zv = new Vector<float>(z[j..]);
                var nv = new Vector<float>(n[j..]);
                var dh = new Vector<float>(hiddenGradient[j..]);
                var an = dh * (one - zv) * (one - nv * nv);
                var ar = an * new Vector<float>(candidate[j..]) * rv * (one - rv);
                var az = dh * (new Vector<float>(hiddenPrevious[j..]) - nv) * zv * (one - zv);
                ar.CopyTo(dir[j..]);
                ar.CopyTo(dhr[j..]);
                az.CopyTo(diz[j..]);
                az.CopyTo(dhz[j..]);
                an.CopyTo(din[j..]);
                (an * rv).CopyTo(dhn[j..]);
                (dh * zv).CopyTo(hiddenPreviousGradient[j..]);
            }
        }
        for (; j < h; j++)
        {
            float rv = r[j], zv = z[j], nv = n[j], dh = hiddenGradient[j];
            float an = dh * (1f - zv) * (1f - nv * nv);
            float ar = an * candidate[j] * rv * (1f - rv);
            float az = dh * (hiddenPrevious[j] - nv) * zv * (1f - zv);
            dir[j] = ar;
            dhr[j] = ar;
            diz[j] = az;
            dhz[j] = az;
            din[j] = an;
            dhn[j] = an * rv;
            hiddenPreviousGradient[j] = dh * zv;
        }
    }
}
