using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Multi-layer gated recurrent unit (Cho et al., "Learning Phrase Representations using RNN Encoder-Decoder for
/// Statistical Machine Translation", 2014; PyTorch <c>nn.GRU(batch_first=True)</c>, Keras <c>GRU(reset_after=True)</c>).
/// Each step computes <c>r = σ(W_ir x + b_ir + W_hr h + b_hr)</c>, <c>z = σ(W_iz x + b_iz + W_hz h + b_hz)</c>,
/// <c>n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))</c>, <c>h' = (1 - z) ⊙ n + z ⊙ h</c>.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>inputSize</c> <c>H_in</c>, <c>hiddenSize</c> <c>H</c>, <c>numLayers</c> (default 1),
/// <c>bias</c> (default true), <c>bidirectional</c> (default false), <c>dropout</c> between layers in training
/// (default 0). The input is batch-first, the initial state is zero.</para>
/// <para><b>Shape.</b> Input <c>(N, T, H_in)</c>; output <c>(N, T, D·H)</c>; <see cref="RecurrentLayer.FinalHiddenState"/>
/// <c>h_n</c> <c>(numLayers·D, N, H)</c>. Variable lengths, stacking and the computation are described on
/// <see cref="RecurrentLayer"/>; reduce the sequence with <see cref="SequencePooling"/>.</para>
/// <para><b>Attributes.</b> <c>weight_ih_l{k}</c> <c>[3H, H_in]</c> (<c>[3H, D·H]</c> for <c>k ≥ 1</c>),
/// <c>weight_hh_l{k}</c> <c>[3H, H]</c>, <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> <c>[3H]</c>, gate blocks in
/// PyTorch's order <c>r, z, n</c>; <c>_reverse</c> variants for the reverse direction. All drawn from
/// <c>U(-1/√H, 1/√H)</c>.</para>
/// <para><b>ONNX.</b> <c>GRU</c> nodes with <c>linear_before_reset=1</c> (PyTorch's placement of the reset gate) and
/// the gate blocks reordered to ONNX's <c>z, r, h</c>.</para>
/// </remarks>
/// <example><code>
/// var gru = new GRU(inputSize: 16, hiddenSize: 32, bidirectional: true);
/// Tensor y = gru.Forward(x, training: true);   // x: (N, T, 16) → y: (N, T, 64)
/// </code></example>
public sealed class GRU : RecurrentLayer
{
    /// <summary>Creates a (stacked, optionally bidirectional) GRU.</summary>
    /// <param name="inputSize">Features per input step <c>H_in</c> (≥ 1).</param>
    /// <param name="hiddenSize">Hidden state size <c>H</c> (≥ 1).</param>
    /// <param name="numLayers">Number of stacked layers (≥ 1). Default 1.</param>
    /// <param name="bias">Whether to learn <c>b_ih</c> and <c>b_hh</c>. Default true.</param>
    /// <param name="bidirectional">Whether each layer also runs in reverse time. Default false.</param>
    /// <param name="dropout">Dropout probability on the outputs of all layers but the last, in training; in [0, 1). Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or <paramref name="dropout"/> is outside [0, 1).</exception>
    public GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool bidirectional = false, float dropout = 0f)
        : base(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gateCount: 3)
    {
    }

    private protected override bool SeparateRecurrentGradient => true;

    private protected override string OnnxOperator => "GRU";

    // ONNX block k is PyTorch block OnnxGateOrder[k]: ONNX z, r, h from PyTorch r, z, n.
    private protected override int[] OnnxGateOrder => [1, 0, 2];

    private protected override IEnumerable<OnnxAttribute> OnnxAttributes => [OnnxAttribute.Int("linear_before_reset", 1)];

    // b_hr and b_hz join the input projection; b_hn stays inside the reset product.
    private protected override void ProjectionBias(ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, Span<float> destination)
    {
        int h = HiddenSize;
        TensorPrimitives.Add(biasIh[..(2 * h)], biasHh[..(2 * h)], destination[..(2 * h)]);
        biasIh.Slice(2 * h, h).CopyTo(destination.Slice(2 * h, h));
    }

    private protected override Tensor? NewGateBias(RecurrentWeights weights) => weights.BiasHh?.Value;

    private protected override void ForwardSequence(SequencePass p)
    {
        int n = p.Batch, steps = p.Steps, h = p.Hidden, g3 = 3 * h, stride = p.OutputRowStride, offset = p.OutputOffset;
        Span<float> gates = p.Gates.Span, hPrev = p.HiddenPrevious.Span, candidate = p.Cell!.Span, output = p.Output.Span;
        Span<float> recurrent = p.StepScratch.Span;
        ReadOnlySpan<float> whhT = p.WeightHhTransposed.Span;
        ReadOnlySpan<float> bhn = p.NewGateBias is null ? default : p.NewGateBias.Span.Slice(2 * h, h);
        int[] lengths = p.Lengths;
        for (int s = 0; s < steps; s++)
        {
            int t = p.Reverse ? steps - 1 - s : s;
            int tNext = p.Reverse ? t - 1 : t + 1;
            bool hasPrev = s > 0, hasNext = s < steps - 1;
            if (hasPrev)
                Gemm.Multiply(false, false, n, g3, h, 1f, hPrev[(t * h)..], steps * h, whhT, g3, 0f, recurrent, g3);
            else
                for (int b = 0; b < n; b++) hPrev.Slice((b * steps + t) * h, h).Clear();
            for (int b = 0; b < n; b++)
            {
                int row = b * steps + t;
                Span<float> y = output.Slice(row * stride + offset, h);
                Span<float> next = hasNext ? hPrev.Slice((b * steps + tNext) * h, h) : default;
                if (t >= lengths[b])
                {
                    y.Clear();
                    next.Clear();
                    continue;
                }
                ReadOnlySpan<float> gh = hasPrev ? recurrent.Slice(b * g3, g3) : default;
                GruCellKernels.Forward(gates.Slice(row * g3, g3), gh, bhn, hPrev.Slice(row * h, h), candidate.Slice(row * h, h), y);
                if (hasNext) y.CopyTo(next);
            }
        }
    }

    private protected override void BackwardSequence(SequencePass p)
    {
        int n = p.Batch, steps = p.Steps, h = p.Hidden, g3 = 3 * h, stride = p.OutputRowStride, offset = p.OutputOffset;
        ReadOnlySpan<float> gates = p.Gates.Span, hPrev = p.HiddenPrevious.Span, candidate = p.Cell!.Span, up = p.OutputGradient.Span;
        ReadOnlySpan<float> whh = p.WeightHh.Span, dHn = p.FinalHiddenGradientRows;
        Span<float> dGi = p.GatesGradient.Span, dGh = p.RecurrentGatesGradient.Span, carry = p.HiddenCarry.Span;
        Span<float> dh = p.RowScratch.Span[..h];
        int[] lengths = p.Lengths;
        for (int s = 0; s < steps; s++)
        {
            int t = p.Reverse ? s : steps - 1 - s;
            for (int b = 0; b < n; b++)
            {
                int row = b * steps + t, length = lengths[b];
                Span<float> carryRow = carry.Slice(b * h, h);
                if (t >= length)
                {
                    dGi.Slice(row * g3, g3).Clear();
                    dGh.Slice(row * g3, g3).Clear();
                    carryRow.Clear();
                    continue;
                }
                TensorPrimitives.Add(up.Slice(row * stride + offset, h), carryRow, dh);
                if (!dHn.IsEmpty && t == p.FinalStep(length)) TensorPrimitives.Add(dh, dHn.Slice(b * h, h), dh);
                GruCellKernels.Backward(gates.Slice(row * g3, g3), candidate.Slice(row * h, h), hPrev.Slice(row * h, h), dh,
                    dGi.Slice(row * g3, g3), dGh.Slice(row * g3, g3), carryRow);
            }
            if (s < steps - 1)
                Gemm.Multiply(false, false, n, h, g3, 1f, dGh[(t * g3)..], steps * g3, whh, h, 1f, carry, h);
        }
    }
}
