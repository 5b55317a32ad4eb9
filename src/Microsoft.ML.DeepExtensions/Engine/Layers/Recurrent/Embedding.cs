using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Initializers;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// A lookup table of learned vectors: <c>y[..., :] = weight[index, :]</c> (PyTorch <c>nn.Embedding</c>, Keras
/// <c>Embedding</c>). Token indices arrive as floats holding exact integers, the engine's only element type.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>numEmbeddings</c>: size of the vocabulary <c>V</c>. <c>embeddingDim</c>: size of each
/// vector <c>D</c>. <c>paddingIdx</c>: optional index (negative values count from the end, as in PyTorch) whose row is
/// initialized to zeros and never receives a gradient, so it stays what it is during training (PyTorch semantics).</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c> of indices in <c>[0, V)</c>, typically <c>(N, T)</c>; output <c>(N, *, D)</c>.</para>
/// <para><b>Attributes.</b> <c>weight</c>: <c>[V, D]</c>, a weight (<see cref="Parameter.IsWeight"/>), initialized from
/// <c>N(0, 1)</c> (PyTorch's default) with the padding row set to zero.</para>
/// <para><b>Gradients.</b> <c>dweight[v] = Σ_{positions p with index v} dy[p]</c>, summed in row-major position
/// order (deterministic); the padding row's gradient is zero. Indices are not differentiable:
/// <see cref="Backward"/> always returns null, so an Embedding is the first layer of its network.</para>
/// <para><b>Lengths from padding.</b> With a <see cref="PaddingIdx"/> and <see cref="Lengths"/> set, each
/// <see cref="Forward"/> of an input <c>(N, T)</c> also writes the sequence lengths implied by trailing padding into
/// <see cref="Lengths"/>: <c>lengths[n]</c> = 1 + the position of the last token of row <c>n</c> that is not the padding
/// index (0 for an all-padding row). Share the same <see cref="SequenceLengths"/> with the recurrent and pooling layers
/// that follow, and they skip the padding with no further call (Keras' <c>mask_zero</c>).</para>
/// <para><b>ONNX.</b> <c>Gather(weight, Cast(input, int64), axis=0)</c>. With <see cref="Lengths"/> set, the graph
/// also computes the lengths from the tokens (<c>ReduceMax</c> of <c>(t+1)·[token ≠ padding]</c> over <c>t</c>) and
/// defines them as the <c>int32 [N]</c> value named <see cref="SequenceLengths.OnnxInputName"/>, so the exported model
/// needs no lengths input.</para>
/// </remarks>
/// <example><code>
/// var embed = new Embedding(numEmbeddings: 10_000, embeddingDim: 64, paddingIdx: 0);
/// Tensor y = embed.Forward(tokens, training: true);   // tokens: (N, T) → y: (N, T, 64)
/// </code></example>
public sealed class Embedding : Layer
{
    private const ulong DefaultSeed = 0x456D626564UL;
    private readonly Parameter[] _parameters;
    private readonly Tensor _output = new(0, 0, 0);
    private int[] _indices = [];
    private int[] _outRow = [];
    private int[] _lengths = [];
    private int _count = -1;

    /// <summary>Creates an embedding table.</summary>
    /// <param name="numEmbeddings">Vocabulary size <c>V</c> (≥ 1).</param>
    /// <param name="embeddingDim">Vector size <c>D</c> (≥ 1).</param>
    /// <param name="paddingIdx">Index of the padding row in <c>[-V, V)</c> (negative counts from the end), or null for none.</param>
    /// <param name="weightInitializer">Weight initializer; default <c>N(0, 1)</c> (PyTorch). The padding row is zeroed afterwards.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1 or <paramref name="paddingIdx"/> is outside <c>[-V, V)</c>.</exception>
    public Embedding(int numEmbeddings, int embeddingDim, int? paddingIdx = null, IInitializer? weightInitializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numEmbeddings, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(embeddingDim, 1);
        if (paddingIdx is int p)
        {
            if (p < -numEmbeddings || p >= numEmbeddings)
                throw new ArgumentOutOfRangeException(nameof(paddingIdx), p, $"paddingIdx must be in [-{numEmbeddings}, {numEmbeddings}), got {p}.");
            PaddingIdx = p < 0 ? p + numEmbeddings : p;
        }
        NumEmbeddings = numEmbeddings;
        EmbeddingDim = embeddingDim;
        WeightInitializer = weightInitializer ?? new Normal(0.0, 1.0);
        Weight = new Parameter("weight", new Tensor(numEmbeddings, embeddingDim), isWeight: true);
        _parameters = [Weight];
        Initialize(new Rng(DefaultSeed));
    }

    /// <summary>Vocabulary size <c>V</c>.</summary>
    public int NumEmbeddings { get; }

    /// <summary>Vector size <c>D</c>.</summary>
    public int EmbeddingDim { get; }

    /// <summary>The padding row (in <c>[0, V)</c>), or null.</summary>
    public int? PaddingIdx { get; }

    /// <summary>The table <c>[V, D]</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>
    /// Where <see cref="Forward"/> writes the lengths implied by trailing padding (see the class remarks), or null (default)
    /// to leave lengths alone. Needs <see cref="PaddingIdx"/> and inputs <c>(N, T)</c>.
    /// </summary>
    public SequenceLengths? Lengths { get; set; }

    /// <summary>The weight initializer used by <see cref="Initialize"/>.</summary>
    public IInitializer WeightInitializer { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public override string Name => $"Embedding({NumEmbeddings}, {EmbeddingDim}" + (PaddingIdx is int p ? $", padding_idx={p})" : ")");

    /// <summary>Returns <c>[*, D]</c> for index shape <c>[*]</c>.</summary>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => [.. inputShape, EmbeddingDim];

    /// <summary>Draws the table from the initializer (<c>fanIn = V</c>, <c>fanOut = D</c>), then zeroes the padding row.</summary>
    public override void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        WeightInitializer.Initialize(Weight.Value.Span, NumEmbeddings, EmbeddingDim, rng);
        if (PaddingIdx is int p) Weight.Value.Span.Slice(p * EmbeddingDim, EmbeddingDim).Clear();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input has no batch dimension, or holds a value that is not an integer in
    /// <c>[0, V)</c> (the message gives its position).</exception>
    /// <exception cref="InvalidOperationException"><see cref="Lengths"/> is set but the layer has no padding index or the input is not <c>(N, T)</c>.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (Lengths is not null) CheckLengthsUse(input.Rank);
        int count = input.Length, dim = EmbeddingDim;
        if (_indices.Length < count) _indices = new int[count];
        ReadOnlySpan<float> x = input.Span;
        for (int i = 0; i < count; i++)
        {
            float v = x[i];
            int index = (int)v;
            if (!(v >= 0f && v < NumEmbeddings) || index != v)
                throw new ArgumentException(
                    $"{Name}: the value {v} at position {Position(input.Shape, i)} is not a token index in [0, {NumEmbeddings}) " +
                    "(indices must be whole numbers below the vocabulary size).", nameof(input));
            _indices[i] = index;
        }
        if (_outRow.Length != input.Rank) _outRow = new int[input.Rank];
        input.Shape[1..].CopyTo(_outRow);
        _outRow[^1] = dim;
        _output.ResizeBatch(input.Dim(0), _outRow);
        Span<float> y = _output.Span;
        ReadOnlySpan<float> w = Weight.Value.Span;
        for (int i = 0; i < count; i++)
            w.Slice(_indices[i] * dim, dim).CopyTo(y.Slice(i * dim, dim));
        _count = count;
        if (Lengths is not null) WriteLengths(input.Dim(0), input.Dim(1));
        return _output;
    }

    /// <summary>Writes the table's gradient (scatter-add of <paramref name="outputGradient"/> rows; zero for the padding row) and returns null.</summary>
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _count >= 0 ? _output : null, this);
        int dim = EmbeddingDim;
        Span<float> dw = Weight.Gradient.Span;
        dw.Clear();
        ReadOnlySpan<float> dy = outputGradient.Span;
        for (int i = 0; i < _count; i++)
        {
            Span<float> row = dw.Slice(_indices[i] * dim, dim);
            TensorPrimitives.Add(row, dy.Slice(i * dim, dim), row);
        }
        if (PaddingIdx is int p) dw.Slice(p * dim, dim).Clear();
        return null;
    }

    /// <summary>Emits <c>Gather(weight, Cast(input, to=int64), axis=0)</c>: <c>(N, *) → (N, *, D)</c>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Lengths"/> is set but the layer has no padding index or the input is not <c>(N, T)</c>.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string weight = graph.AddInitializer(Weight.Name, Weight.Value);
        string indices = graph.Apply("Cast", [input], OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
        if (Lengths is not null && !graph.IsDefined(Lengths.OnnxInputName))
        {
            CheckLengthsUse(inputShape.Length + 1);
            EmitLengths(graph, indices, Lengths.OnnxInputName);
        }
        return graph.Apply("Gather", [weight, indices], OnnxAttribute.Int("axis", 0));
    }

    private void CheckLengthsUse(int rank)
    {
        if (PaddingIdx is null || rank != 2)
            throw new InvalidOperationException(
                $"{Name} computes sequence lengths from trailing padding only with a padding index and (N, T) token inputs; " +
                (PaddingIdx is null ? "create it with paddingIdx, or leave Lengths null." : $"got a rank-{rank} input."));
    }

    private void WriteLengths(int n, int steps)
    {
        if (_lengths.Length < n) _lengths = new int[n];
        Span<int> lengths = _lengths.AsSpan(0, n);
        int pad = PaddingIdx!.Value;
        for (int b = 0; b < n; b++)
        {
            int length = steps;
            while (length > 0 && _indices[b * steps + length - 1] == pad) length--;
            lengths[b] = length;
        }
        Lengths!.Set(lengths);
    }

    /// <summary>lengths = ReduceMax((t + 1)·[token ≠ padding], axis 1), as int32 [N] named <paramref name="name"/>.</summary>
    private void EmitLengths(OnnxGraphBuilder graph, string indices, string name)
    {
        OnnxEmit.RequireOpset(graph, 11, this, "Range");
        string pad = graph.AddInt64Initializer("embedding_padding_idx", [PaddingIdx!.Value], []);
        string isToken = graph.Apply("Not", [graph.Apply("Equal", [indices, pad])]);                      // [N, T] bool
        string steps = graph.Apply("Gather", [graph.Apply("Shape", [indices]), graph.AddInt64Initializer("embedding_axis", [1], [])],
            OnnxAttribute.Int("axis", 0));                                                                 // scalar T
        string one = graph.AddInt64Initializer("embedding_one", [1], []);
        string positions = graph.Apply("Range", [one, graph.Apply("Add", [steps, one]), one]);            // [T]: 1..T
        string marked = graph.Apply("Mul", [graph.Apply("Cast", [isToken], OnnxAttribute.Int("to", (long)OnnxElementType.Int64)), positions]);
        string last = graph.OpsetVersion >= 18
            ? graph.Apply("ReduceMax", [marked, graph.AddInt64Initializer("embedding_reduce_axes", 1)], OnnxAttribute.Int("keepdims", 0))
            : graph.Apply("ReduceMax", [marked], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));
        graph.AddNode("Cast", [last], [name], [OnnxAttribute.Int("to", (long)OnnxElementType.Int32)]);
    }

    private static string Position(ReadOnlySpan<int> shape, int flat)
    {
        var index = new int[shape.Length];
        for (int a = shape.Length - 1; a >= 0; a--)
        {
            index[a] = shape[a] == 0 ? 0 : flat % shape[a];
            flat = shape[a] == 0 ? 0 : flat / shape[a];
        }
        return "(" + string.Join(", ", index) + ")";
    }
}
