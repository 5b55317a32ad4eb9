using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// The valid length of every sequence of the current batch, shared by the layers that need it (recurrent layers,
/// <see cref="SequencePooling"/>): the counterpart of PyTorch's <c>pack_padded_sequence(x, lengths)</c>.
/// </summary>
/// <remarks>
/// <para><b>Use.</b> Create one object, give it to every layer that must skip padding (their <c>Lengths</c>
/// property), and call <see cref="Set"/> with the batch's lengths before each <c>Forward</c>. Sequences are padded at
/// the end: example <c>n</c> of an input <c>(N, T, F)</c> occupies steps <c>0 .. lengths[n]-1</c>; steps
/// <c>t ≥ lengths[n]</c> are padding. A length of 0 (an empty sequence) is allowed. While no lengths are set
/// (<see cref="IsSet"/> false, e.g. after <see cref="Clear"/>), every sequence spans all <c>T</c> steps.</para>
/// <para><b>Copies.</b> <see cref="Set"/> copies the values (no allocation once the capacity suffices); each layer
/// copies them again in its <c>Forward</c>, so changing them between a layer's <c>Forward</c> and <c>Backward</c> is safe.</para>
/// <para><b>ONNX.</b> In an exported graph the lengths are the value named <see cref="OnnxInputName"/>
/// (<c>"lengths"</c> by default), <c>int32 [N]</c>. The first layer that needs it declares it as a graph input, unless
/// the graph already defines a value of that name (e.g. computed from the tokens by an earlier node), which is then
/// used as is and must be <c>int32 [N]</c>.</para>
/// </remarks>
/// <example><code>
/// var lengths = new SequenceLengths();
/// var net = new Sequential(
///     new Embedding(10_000, 64, paddingIdx: 0),
///     new LSTM(64, 128, bidirectional: true) { Lengths = lengths },
///     new SequencePooling(SequencePoolingMode.Last, bidirectional: true) { Lengths = lengths },
///     new Linear(256, 2));
/// lengths.Set([7, 3, 10]);                  // batch of 3 sequences padded to T = 10
/// Tensor logits = net.Forward(tokens, training: true);   // tokens: (3, 10)
/// </code></example>
public sealed class SequenceLengths
{
    private int[] _values = [];
    private int _count = -1;

    /// <summary>Creates an empty set of lengths (every sequence full length until <see cref="Set"/> is called).</summary>
    /// <param name="onnxInputName">The name of the lengths value in exported ONNX graphs. Default <c>"lengths"</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="onnxInputName"/> is null or empty.</exception>
    public SequenceLengths(string onnxInputName = "lengths")
    {
        ArgumentException.ThrowIfNullOrEmpty(onnxInputName);
        OnnxInputName = onnxInputName;
    }

    /// <summary>The name of the <c>int32 [N]</c> lengths value in exported ONNX graphs.</summary>
    public string OnnxInputName { get; }

    /// <summary>True after <see cref="Set"/>, false initially and after <see cref="Clear"/> (all sequences full length).</summary>
    public bool IsSet => _count >= 0;

    /// <summary>The lengths last set (empty when <see cref="IsSet"/> is false).</summary>
    public ReadOnlySpan<int> Values => _count < 0 ? [] : _values.AsSpan(0, _count);

    /// <summary>Sets the lengths of the next batch (copied).</summary>
    /// <param name="lengths">One length ≥ 0 per example.</param>
    /// <exception cref="ArgumentOutOfRangeException">A length is negative.</exception>
    public void Set(ReadOnlySpan<int> lengths)
    {
        for (int i = 0; i < lengths.Length; i++)
            if (lengths[i] < 0)
                throw new ArgumentOutOfRangeException(nameof(lengths), lengths[i], $"Sequence lengths must be >= 0; lengths[{i}] is {lengths[i]}.");
        if (_values.Length < lengths.Length) _values = new int[lengths.Length];
        lengths.CopyTo(_values);
        _count = lengths.Length;
    }

    /// <summary>Forgets the lengths: every sequence spans all steps again.</summary>
    public void Clear() => _count = -1;

    /// <summary>
    /// Writes the lengths for a batch of <paramref name="batch"/> sequences of <paramref name="steps"/> steps into
    /// <paramref name="destination"/> (all <paramref name="steps"/> when <paramref name="source"/> is null or not set).
    /// </summary>
    /// <exception cref="ArgumentException">The number of lengths is not the batch size, or a length exceeds <paramref name="steps"/>.</exception>
    internal static void Resolve(SequenceLengths? source, int batch, int steps, Span<int> destination, Layer layer)
    {
        if (source is null || !source.IsSet)
        {
            destination[..batch].Fill(steps);
            return;
        }
        ReadOnlySpan<int> values = source.Values;
        if (values.Length != batch)
            throw new ArgumentException($"{layer.Name}: {values.Length} sequence lengths were set but the batch holds {batch} sequences; call Lengths.Set with one length per example before Forward.");
        for (int n = 0; n < batch; n++)
        {
            if (values[n] > steps)
                throw new ArgumentException($"{layer.Name}: lengths[{n}] is {values[n]} but the input has only T = {steps} steps.");
            destination[n] = values[n];
        }
    }

    /// <summary>
    /// The name of the <c>int32 [N]</c> lengths value in <paramref name="graph"/>: <see cref="OnnxInputName"/>, declared
    /// as a graph input <c>[N]</c> unless the graph already defines it.
    /// </summary>
    internal string OnnxValue(OnnxGraphBuilder graph)
    {
        if (!graph.IsDefined(OnnxInputName))
            graph.AddInput(OnnxInputName, [], OnnxElementType.Int32);
        return OnnxInputName;
    }
}
