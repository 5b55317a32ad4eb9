using System.Numerics;
using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The point-wise part of one LSTM step for one sequence (Hochreiter and Schmidhuber, 1997; PyTorch
/// <c>nn.LSTM</c> semantics, gate order <c>i, f, g, o</c>):
/// <c>i = σ(a_i)</c>, <c>f = σ(a_f)</c>, <c>g = tanh(a_g)</c>, <c>o = σ(a_o)</c>,
/// <c>c' = f ⊙ c + i ⊙ g</c>, <c>h' = o ⊙ tanh(c')</c>, where <c>a = x·W_ihᵀ + b_ih + h·W_hhᵀ + b_hh</c>
/// (the matrix products are done by the caller with <see cref="Gemm"/>).
/// </summary>
/// <remarks>
/// Spans hold one row: gates <c>[4H]</c> (blocks <c>i, f, g, o</c>), states <c>[H]</c>. An empty previous
/// cell state stands for zeros (the first step). Single-threaded, allocation-free.
/// </remarks>
public static class LstmCellKernels
{
    /// <summary>Forward: turns the pre-activations in <paramref name="gates"/> into <c>i, f, g, o</c> (in place) and writes <c>c'</c> and <c>h'</c>.</summary>
    /// <param name="gates">In: pre-activations <c>a</c> <c>[4H]</c>; out: gate values <c>i, f, g, o</c>.</param>
    /// <param name="cellPrevious">The previous cell state <c>[H]</c>, or empty for zeros.</param>
    /// <param name="cell">Receives <c>c'</c> <c>[H]</c>.</param>
    /// <param name="hidden">Receives <c>h'</c> <c>[H]</c>.</param>
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cellPrevious, Span<float> cell, Span<float> hidden)
    {
        int h = cell.Length;
        Span<float> ifg = gates[..(2 * h)];
        TensorPrimitives.Sigmoid(ifg, ifg);
        Span<float> g = gates.Slice(2 * h, h);
        TensorPrimitives.Tanh(g, g);
        Span<float> o = gates.Slice(3 * h, h);
        TensorPrimitives.Sigmoid(o, o);
        ReadOnlySpan<float> i = gates[..h], f = gates.Slice(h, h);
        TensorPrimitives.Multiply(i, g, cell);
        if (!cellPrevious.IsEmpty) TensorPrimitives.FusedMultiplyAdd(f, cellPrevious, cell, cell);
        TensorPrimitives.Tanh(cell, hidden);
        TensorPrimitives.Multiply(hidden, o, hidden);
    }

    /// <summary>
    /// Backward through one step: from dL/dh' and dL/dc' to the pre-activation gradients dL/da and dL/dc.
    /// </summary>
    /// <param name="gates">The gate values <c>i, f, g, o</c> <c>[4H]</c> of the step.</param>
    /// <param name="cell">The step's cell state <c>c'</c> <c>[H]</c>.</param>
    /// <param name="cellPrevious">The previous cell state <c>c</c> <c>[H]</c>, or empty for zeros.</param>
    /// <param name="hiddenGradient">dL/dh' <c>[H]</c> (total: output, recurrent and final-state paths).</param>
    /// <param name="cellGradient">In: dL/dc' from later steps <c>[H]</c>; out: dL/dc for the previous step.</param>
    /// <param name="gatesGradient">Receives dL/da <c>[4H]</c> (blocks <c>i, f, g, o</c>).</param>
    /// <param name="scratch">Work space <c>[H]</c>.</param>
    public static void Backward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cell, ReadOnlySpan<float> cellPrevious,
        ReadOnlySpan<float> hiddenGradient, Span<float> cellGradient, Span<float> gatesGradient, Span<float> scratch)
    {
        int h = cell.Length;
        Span<float> tc = scratch[..h];
        TensorPrimitives.Tanh(cell, tc);
        ReadOnlySpan<float> i = gates[..h], f = gates.Slice(h, h), g = gates.Slice(2 * h, h), o = gates.Slice(3 * h, h);
        Span<float> di = gatesGradient[..h], df = gatesGradient.Slice(h, h), dg = gatesGradient.Slice(2 * h, h), dO = gatesGradient.Slice(3 * h, h);
        bool hasPrevious = !cellPrevious.IsEmpty;
        int j = 0;
        if (Vector.IsHardwareAccelerated && h >= Vector<float>.Count)
        {
            int w = Vector<float>.Count;
            var one = Vector<float>.One;
            for (; j <= h - w; j += w)
            {
                var iv = new Vector<float>(i[j..]);
                var fv = new Vector<float>(f[j..]);
                var gv = new Vector<float>(g[j..]);
                var ov = new Vector<float>(o[j..]);
                var tcv = new Vector<float>(tc[j..]);
                var dh = new Vector<float>(hiddenGradient[j..]);
                var dc = new Vector<float>(cellGradient[j..]) + dh * ov * (one - tcv * tcv);
                var cp = hasPrevious ? new Vector<float>(cellPrevious[j..]) : Vector<float>.Zero;
                (dc * gv * iv * (one - iv)).CopyTo(di[j..]);
                (dc * cp * fv * (one - fv)).CopyTo(df[j..]);
                (dc * iv * (one - gv * gv)).CopyTo(dg[j..]);
                (dh * tcv * ov * (one - ov)).CopyTo(dO[j..]);
                (dc * fv).CopyTo(cellGradient[j..]);
            }
        }
        for (; j < h; j++)
        {
            float iv = i[j], fv = f[j], gv = g[j], ov = o[j], tcv = tc[j], dh = hiddenGradient[j];
            float dc = cellGradient[j] + dh * ov * (1f - tcv * tcv);
            float cp = hasPrevious ? cellPrevious[j] : 0f;
            di[j] = dc * gv * iv * (1f - iv);
            df[j] = dc * cp * fv * (1f - fv);
            dg[j] = dc * iv * (1f - gv * gv);
            dO[j] = dh * tcv * ov * (1f - ov);
            cellGradient[j] = dc * fv;
        }
    }
}
