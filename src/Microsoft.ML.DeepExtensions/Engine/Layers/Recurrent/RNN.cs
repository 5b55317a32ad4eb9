using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Multi-layer Elman recurrent network (Elman, "Finding Structure in Time", 1990; PyTorch
/// <c>nn.RNN(batch_first=True)</c>, Keras <c>SimpleRNN</c>): each step computes
/// <c>h' = act(W_ih x + b_ih + W_hh h + b_hh)</c> with <c>act</c> = tanh (default) or ReLU.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>inputSize</c> <c>H_in</c>, <c>hiddenSize</c> <c>H</c>, <c>numLayers</c> (default 1),
/// <c>nonlinearity</c> (default <see cref="RnnNonlinearity.Tanh"/>), <c>bias</c> (default true),
/// <c>bidirectional</c> (default false), <c>dropout</c> between layers in training (default 0). The input is
/// batch-first, the initial state is zero.</para>
/// <para><b>Shape.</b> Input <c>(N, T, H_in)</c>; output <c>(N, T, D·H)</c>; <see cref="RecurrentLayer.FinalHiddenState"/>
/// <c>h_n</c> <c>(numLayers·D, N, H)</c>. Variable lengths, stacking and the computation are described on
/// <see cref="RecurrentLayer"/>.</para>
/// <para><b>Attributes.</b> <c>weight_ih_l{k}</c> <c>[H, H_in]</c> (<c>[H, D·H]</c> for <c>k ≥ 1</c>),
/// <c>weight_hh_l{k}</c> <c>[H, H]</c>, <c>bias_ih_l{k}</c>, <c>bias_hh_l{k}</c> <c>[H]</c>; <c>_reverse</c> variants
/// for the reverse direction. All drawn from <c>U(-1/√H, 1/√H)</c>.</para>
/// <para><b>ONNX.</b> <c>RNN</c> nodes with <c>activations</c> <c>Tanh</c> or <c>Relu</c>.</para>
/// </remarks>
public sealed class RNN : RecurrentLayer
{
    /// <summary>Creates a (stacked, optionally bidirectional) Elman RNN.</summary>
    /// <param name="inputSize">Features per input step <c>H_in</c> (≥ 1).</param>
    /// <param name="hiddenSize">Hidden state size <c>H</c> (≥ 1).</param>
    /// <param name="numLayers">Number of stacked layers (≥ 1). Default 1.</param>
    /// <param name="nonlinearity">The activation. Default <see cref="RnnNonlinearity.Tanh"/>.</param>
    /// <param name="bias">Whether to learn <c>b_ih</c> and <c>b_hh</c>. Default true.</param>
    /// <param name="bidirectional">Whether each layer also runs in reverse time. Default false.</param>
    /// <param name="dropout">Dropout probability on the outputs of all layers but the last, in training; in [0, 1). Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1, <paramref name="dropout"/> is outside [0, 1), or the nonlinearity is unknown.</exception>
    public RNN(int inputSize, int hiddenSize, int numLayers = 1, RnnNonlinearity nonlinearity = RnnNonlinearity.Tanh,
        bool bias = true, bool bidirectional = false, float dropout = 0f)
        : base(inputSize, hiddenSize, numLayers, bias, bidirectional, dropout, gateCount: 1)
    {
        if (nonlinearity is not (RnnNonlinearity.Tanh or RnnNonlinearity.ReLU))
            throw new ArgumentOutOfRangeException(nameof(nonlinearity), nonlinearity, "Expected RnnNonlinearity.Tanh or RnnNonlinearity.ReLU.");
        Nonlinearity = nonlinearity;
    }

    /// <summary>The activation.</summary>
    public RnnNonlinearity Nonlinearity { get; }

    private bool IsRelu => Nonlinearity == RnnNonlinearity.ReLU;

    private protected override string NameSuffix => IsRelu ? ", nonlinearity='relu'" : "";

    private protected override string OnnxOperator => "RNN";

    private protected override int[] OnnxGateOrder => [0];

    private protected override IEnumerable<OnnxAttribute> OnnxAttributes =>
        [OnnxAttribute.Strings("activations", Enumerable.Repeat(IsRelu ? "Relu" : "Tanh", Directions))];

    private protected override void ForwardSequence(SequencePass p)
    {
        int n = p.Batch, steps = p.Steps, h = p.Hidden, stride = p.OutputRowStride, offset = p.OutputOffset;
        Span<float> gates = p.Gates.Span, hPrev = p.HiddenPrevious.Span, output = p.Output.Span;
        ReadOnlySpan<float> whhT = p.WeightHhTransposed.Span;
        int[] lengths = p.Lengths;
        bool relu = IsRelu;
        for (int s = 0; s < steps; s++)
        {
            int t = p.Reverse ? steps - 1 - s : s;
            int tNext = p.Reverse ? t - 1 : t + 1;
            bool hasPrev = s > 0, hasNext = s < steps - 1;
            if (hasPrev)
                Gemm.Multiply(false, false, n, h, h, 1f, hPrev[(t * h)..], steps * h, whhT, h, 1f, gates[(t * h)..], steps * h);
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
                Span<float> a = gates.Slice(row * h, h);
                RnnCellKernels.Forward(a, relu);
                a.CopyTo(y);
                if (hasNext) a.CopyTo(next);
            }
        }
    }

    private protected override void BackwardSequence(SequencePass p)
    {
        int n = p.Batch, steps = p.Steps, h = p.Hidden, stride = p.OutputRowStride, offset = p.OutputOffset;
        ReadOnlySpan<float> gates = p.Gates.Span, up = p.OutputGradient.Span, whh = p.WeightHh.Span, dHn = p.FinalHiddenGradientRows;
        Span<float> dGates = p.GatesGradient.Span, carry = p.HiddenCarry.Span;
        Span<float> dh = p.RowScratch.Span[..h];
        int[] lengths = p.Lengths;
        bool relu = IsRelu;
        for (int s = 0; s < steps; s++)
        {
            int t = p.Reverse ? s : steps - 1 - s;
            for (int b = 0; b < n; b++)
            {
                int row = b * steps + t, length = lengths[b];
                Span<float> dg = dGates.Slice(row * h, h);
                if (t >= length)
                {
                    dg.Clear();
                    continue;
                }
                TensorPrimitives.Add(up.Slice(row * stride + offset, h), carry.Slice(b * h, h), dh);
                if (!dHn.IsEmpty && t == p.FinalStep(length)) TensorPrimitives.Add(dh, dHn.Slice(b * h, h), dh);
                RnnCellKernels.Backward(gates.Slice(row * h, h), dh, dg, relu);
            }
            if (s < steps - 1)
                Gemm.Multiply(false, false, n, h, h, 1f, dGates[(t * h)..], steps * h, whh, h, 0f, carry, h);
        }
    }
}
