using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Multi-layer long short-term memory (Hochreiter and Schmidhuber, "Long Short-Term Memory", 1997; PyTorch
/// <c>nn.LSTM(batch_first=True)</c>, Keras <c>LSTM</c>). Each step computes
/// <c>i = σ(W_ii x + b_ii + W_hi h + b_hi)</c>, <c>f = σ(W_if x + b_if + W_hf h + b_hf)</c>,
/// <c>g = tanh(W_ig x + b_ig + W_hg h + b_hg)</c>, <c>o = σ(W_io x + b_io + W_ho h + b_ho)</c>,
/// <c>c' = f ⊙ c + i ⊙ g</c>, <c>h' = o ⊙ tanh(c')</c>.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>inputSize</c> <c>H_in</c>, <c>hiddenSize</c> <c>H</c>, <c>numLayers</c> (default 1),
/// <c>bias</c> (default true), <c>bidirectional</c> (default false), <c>dropout</c> between layers in training
/// (default 0). The input is batch-first, the initial states are zero.</para>
/// <para><b>Shape.</b> Input <c>(N, T, H_in)</c>; output <c>(N, T, D·H)</c>; <see cref="RecurrentLayer.FinalHiddenState"/>
/// <c>h_n</c> and <see cref="FinalCellState"/> <c>c_n</c> <c>(numLayers·D, N, H)</c>. Variable lengths, stacking and the
/// computation are described on <see cref="RecurrentLayer"/>; reduce the sequence with <see cref="SequencePooling"/>.</para>
/// <para><b>Attributes.</b> <c>weight_ih_l{k}</c> <c>[4H, H_in]</c> (<c>[4H, D·H]</c> for <c>k ≥ 1</c>),
/// <c>weight_hh_l{k}</c> <c>[4H, H]</c>, <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> <c>[4H]</c>, gate blocks in
/// PyTorch's order <c>i, f, g, o</c>; <c>_reverse</c> variants for the reverse direction. All drawn from
/// <c>U(-1/√H, 1/√H)</c>.</para>
/// <para><b>ONNX.</b> <c>LSTM</c> nodes with the gate blocks reordered to ONNX's <c>i, o, f, c</c>.</para>
/// </remarks>
/// <example><code>
/// var lstm = new LSTM(inputSize: 32, hiddenSize: 64, numLayers: 2, bidirectional: true);
/// Tensor y = lstm.Forward(x, training: true);   // x: (N, T, 32) → y: (N, T, 128)
/// Tensor hn = lstm.FinalHiddenState;            // (4, N, 64)
/// </code></example>
public sealed class LSTM : RecurrentLayer
{
    /// <summary>Creates a (stacked, optionally bidirectional) LSTM.</summary>
    /// <param name="inputSize">Features per input step <c>H_in</c> (≥ 1).</param>
    /// <param name="hiddenSize">Hidden state size <c>H</c> (≥ 1).</param>
    /// <param name="numLayers">Number of stacked layers (≥ 1). Default 1.</param>
    /// <param name="bias">Whether to learn <c>b_ih</c> and <c>b_hh</c>. Default true.</param>
    /// <param name="bidirectional">Whether each layer also runs in reverse time. Default false.</param>
    /// <param name="dropout">Dropout probability on the outputs of all layers but the last, in training; in [0, 1). Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or <paramref name="dropout"/> is outside [0, 1).</exception>
    public LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool bidirectional = false, float dropout = 0f)
        : base(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gateCount: 4)
    {
    }

    /// <summary>The final cell states <c>c_n</c> <c>(numLayers·D, N, H)</c> of the last Forward (rows as <see cref="RecurrentLayer.FinalHiddenState"/>).</summary>
    public Tensor FinalCellState => FinalCell;

    private protected override bool HasCellState => true;

    private protected override string OnnxOperator => "LSTM";

    // ONNX block k is PyTorch block OnnxGateOrder[k]: ONNX i, o, f, c from PyTorch i, f, g, o.
    private protected override int[] OnnxGateOrder => [0, 3, 1, 2];

    private protected override void ForwardSequence(SequencePass p)
    {
        int n = p.Batch, steps = p.Steps, h = p.Hidden, g4 = 4 * h, stride = p.OutputRowStride, offset = p.OutputOffset;
        Span<float> gates = p.Gates.Span, hPrev = p.HiddenPrevious.Span, cell = p.Cell!.Span, output = p.Output.Span;
        ReadOnlySpan<float> whhT = p.WeightHhTransposed.Span;
        int[] lengths = p.Lengths;
        for (int s = 0; s < steps; s++)
        {
            int t = p.Reverse ? steps - 1 - s : s;
            int tPrev = p.Reverse ? t + 1 : t - 1, tNext = p.Reverse ? t - 1 : t + 1;
            bool hasPrev = s > 0, hasNext = s < steps - 1;
            if (hasPrev)
                Gemm.Multiply(false, false, n, g4, h, 1f, hPrev[(t * h)..], steps * h, whhT, g4, 1f, gates[(t * g4)..], steps * g4);
            else
                for (int b = 0; b < n; b++) hPrev.Slice((b * steps + t) * h, h).Clear();
            for (int b = 0; b < n; b++)
            {
                int row = b * steps + t;
                Span<float> c = cell.Slice(row * h, h), y = output.Slice(row * stride + offset, h);
                Span<float> next = hasNext ? hPrev.Slice((b * steps + tNext) * h, h) : default;
                if (t >= lengths[b])
                {
                    c.Clear();
                    y.Clear();
                    next.Clear();
                    continue;
                }
                ReadOnlySpan<float> cPrev = hasPrev ? cell.Slice((b * steps + tPrev) * h, h) : default;
                LstmCellKernels.Forward(gates.Slice(row * g4, g4), cPrev, c, y);
                if (hasNext) y.CopyTo(next);
            }
        }
    }

    private protected override void BackwardSequence(SequencePass p)
    {
        int n = p.Batch, steps = p.Steps, h = p.Hidden, g4 = 4 * h, stride = p.OutputRowStride, offset = p.OutputOffset;
        ReadOnlySpan<float> gates = p.Gates.Span, cell = p.Cell!.Span, up = p.OutputGradient.Span, whh = p.WeightHh.Span;
        ReadOnlySpan<float> dHn = p.FinalHiddenGradientRows, dCn = p.FinalCellGradientRows;
        Span<float> dGates = p.GatesGradient.Span, carry = p.HiddenCarry.Span, dc = p.CellCarry.Span;
        Span<float> dh = p.RowScratch.Span[..h], scratch = p.RowScratch.Span.Slice(h, h);
        int[] lengths = p.Lengths;
        for (int s = 0; s < steps; s++)
        {
            int t = p.Reverse ? s : steps - 1 - s;
            int tPrev = p.Reverse ? t + 1 : t - 1;
            bool hasPrev = p.Reverse ? t < steps - 1 : t > 0;
            for (int b = 0; b < n; b++)
            {
                int row = b * steps + t, length = lengths[b];
                Span<float> dg = dGates.Slice(row * g4, g4), dcRow = dc.Slice(b * h, h);
                if (t >= length)
                {
                    dg.Clear();
                    dcRow.Clear();
                    continue;
                }
                TensorPrimitives.Add(up.Slice(row * stride + offset, h), carry.Slice(b * h, h), dh);
                if (t == p.FinalStep(length))
                {
                    if (!dHn.IsEmpty) TensorPrimitives.Add(dh, dHn.Slice(b * h, h), dh);
                    if (!dCn.IsEmpty) TensorPrimitives.Add(dcRow, dCn.Slice(b * h, h), dcRow);
                }
                ReadOnlySpan<float> cPrev = hasPrev ? cell.Slice((b * steps + tPrev) * h, h) : default;
                LstmCellKernels.Backward(gates.Slice(row * g4, g4), cell.Slice(row * h, h), cPrev, dh, dcRow, dg, scratch);
            }
            if (s < steps - 1)
                Gemm.Multiply(false, false, n, h, g4, 1f, dGates[(t * g4)..], steps * g4, whh, h, 0f, carry, h);
        }
    }
}
