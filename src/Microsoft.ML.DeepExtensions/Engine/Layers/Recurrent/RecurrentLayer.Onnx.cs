using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>ONNX emission of the recurrent layers (see <see cref="EmitOnnx"/>).</summary>
public abstract partial class RecurrentLayer
{
    /// <summary>The ONNX operator: <c>RNN</c>, <c>LSTM</c> or <c>GRU</c>.</summary>
    private protected abstract string OnnxOperator { get; }

    /// <summary>Gate block permutation: ONNX block <c>k</c> holds PyTorch block <c>OnnxGateOrder[k]</c>.</summary>
    private protected abstract int[] OnnxGateOrder { get; }

    /// <summary>Operator-specific attributes (activations, <c>linear_before_reset</c>).</summary>
    private protected virtual IEnumerable<OnnxAttribute> OnnxAttributes => [];

    /// <summary>
    /// Emits one ONNX <c>RNN</c>/<c>LSTM</c>/<c>GRU</c> node per layer: <c>(N, T, H_in) → (N, T, D·H)</c>.
    /// </summary>
    /// <remarks>
    /// The input is transposed to ONNX's time-major <c>[T, N, H_in]</c>. Each node gets <c>W [D, G·H, H_in]</c>,
    /// <c>R [D, G·H, H]</c> and <c>B [D, 2·G·H]</c> (<c>[W_b, R_b]</c>), with the gate blocks permuted to ONNX's order,
    /// <c>direction</c> <c>forward</c> or <c>bidirectional</c>, no initial states (zeros), and, when <see cref="Lengths"/>
    /// is set, <c>sequence_lens</c> = the <see cref="SequenceLengths"/> value (a graph input <c>int32 [N]</c> named
    /// <see cref="SequenceLengths.OnnxInputName"/>, declared here unless the graph already defines it). Its output
    /// <c>Y [T, D, N, H]</c> is reshaped to <c>[T, N, D·H]</c> for the next layer, and to <c>[N, T, D·H]</c> after the
    /// last. Only <c>Reshape</c>s with copied dimensions are used, so <c>N</c> and <c>T</c> may be symbolic. Padded steps
    /// produce zeros (ONNX Runtime's behaviour with <c>sequence_lens</c>, checked by the parity tests).
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[T, H_in]</c>.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        string prefix = OnnxEmit.Prefix(_weights[0].WeightIh, "weight_ih_l0", "");
        string lengths = Lengths?.OnnxValue(graph) ?? "";
        int dirs = Directions, h = HiddenSize, g = GateCount * h;
        string flatten = graph.AddInt64Initializer(prefix + "rnn_output_shape", 0, 0, -1);
        var attributes = new List<OnnxAttribute>
        {
            OnnxAttribute.Int("hidden_size", h),
            OnnxAttribute.String("direction", Bidirectional ? "bidirectional" : "forward"),
        };
        attributes.AddRange(OnnxAttributes);

        string x = graph.Apply("Transpose", [input], OnnxAttribute.Ints("perm", 1, 0, 2));
        for (int l = 0; l < NumLayers; l++)
        {
            int inSize = l == 0 ? InputSize : dirs * h;
            var wData = new float[dirs * g * inSize];
            var rData = new float[dirs * g * h];
            var bData = new float[dirs * 2 * g];
            for (int d = 0; d < dirs; d++)
            {
                RecurrentWeights w = _weights[l * dirs + d];
                PermuteGates(w.WeightIh.Value.Span, h * inSize, wData.AsSpan(d * g * inSize, g * inSize));
                PermuteGates(w.WeightHh.Value.Span, h * h, rData.AsSpan(d * g * h, g * h));
                if (HasBias)
                {
                    PermuteGates(w.BiasIh!.Value.Span, h, bData.AsSpan(d * 2 * g, g));
                    PermuteGates(w.BiasHh!.Value.Span, h, bData.AsSpan(d * 2 * g + g, g));
                }
            }
            string suffix = $"_l{l}";
            var inputs = new List<string>
            {
                x,
                graph.AddInitializer(prefix + "W" + suffix, wData, [dirs, g, inSize]),
                graph.AddInitializer(prefix + "R" + suffix, rData, [dirs, g, h]),
                HasBias ? graph.AddInitializer(prefix + "B" + suffix, bData, [dirs, 2 * g]) : "",
                lengths,
            };
            while (inputs[^1].Length == 0) inputs.RemoveAt(inputs.Count - 1);
            string y = graph.UniqueName(OnnxOperator.ToLowerInvariant() + "_y");
            graph.AddNode(OnnxOperator, inputs, [y], attributes);
            // Y [T, D, N, H] → [T, N, D, H] (next layer, time-major) or [N, T, D, H] (the layer's output), then merge D·H.
            string moved = l < NumLayers - 1
                ? graph.Apply("Transpose", [y], OnnxAttribute.Ints("perm", 0, 2, 1, 3))
                : graph.Apply("Transpose", [y], OnnxAttribute.Ints("perm", 2, 0, 1, 3));
            x = graph.Apply("Reshape", [moved, flatten]);
        }
        return x;
    }

    /// <summary>Copies the gate blocks of <paramref name="source"/> (each <paramref name="blockLength"/> values) in ONNX's order.</summary>
    private void PermuteGates(ReadOnlySpan<float> source, int blockLength, Span<float> destination)
    {
        int[] order = OnnxGateOrder;
        for (int k = 0; k < order.Length; k++)
            source.Slice(order[k] * blockLength, blockLength).CopyTo(destination.Slice(k * blockLength, blockLength));
    }
}
