using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Reduces a padded sequence <c>(N, T, C)</c> to one vector per example <c>(N, C)</c>, looking only at the valid
/// steps given by <see cref="Lengths"/>: the output at the last valid step (<see cref="SequencePoolingMode.Last"/>) or
/// the mean over the valid steps (<see cref="SequencePoolingMode.Mean"/>). Put it after a recurrent layer to feed a
/// classifier or regressor.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>mode</c> (default <see cref="SequencePoolingMode.Last"/>). <c>bidirectional</c> (default
/// false): the input is the output of a bidirectional recurrent layer, forward direction in the first half of the
/// channels and reverse direction in the second; <see cref="SequencePoolingMode.Last"/> then takes the forward half at
/// the last valid step and the reverse half at step 0, which together are the last layer's <c>h_n</c> (PyTorch's
/// <c>torch.cat([h_n[-2], h_n[-1]], 1)</c>). Without lengths every sequence spans all <c>T</c> steps. An empty
/// sequence (length 0) gives zeros in both modes.</para>
/// <para><b>Shape.</b> Input <c>(N, T, C)</c> (<c>C</c> even when bidirectional); output <c>(N, C)</c>.</para>
/// <para><b>Gradient.</b> Last: <c>dy</c> goes to the selected step(s); Mean: <c>dy / length</c> to every valid step;
/// padded steps get zeros.</para>
/// <para><b>ONNX.</b> With lengths (the <see cref="SequenceLengths"/> graph input): Last is a <c>GatherElements</c> at
/// <c>max(length - 1, 0)</c> (step 0 for the reverse half), Mean a masked <c>ReduceSum</c> divided by
/// <c>max(length, 1)</c>, both zeroed for empty sequences with <c>Where</c>. Without lengths: <c>Gather</c> of the last (and
/// first) step, or <c>ReduceMean</c>. Needs opset 13 or later.</para>
/// </remarks>
/// <example><code>
/// var lengths = new SequenceLengths();
/// var gru = new GRU(32, 64, bidirectional: true) { Lengths = lengths };
/// var pool = new SequencePooling(SequencePoolingMode.Mean, bidirectional: true) { Lengths = lengths };
/// lengths.Set(batchLengths);
/// Tensor features = pool.Forward(gru.Forward(x, training: true), training: true);   // (N, 128)
/// </code></example>
public sealed class SequencePooling : Layer
{
    private readonly Tensor _output = new(0, 0);
    private readonly Tensor _inputGradient = new(0, 0, 0);
    private readonly int[] _outRow = new int[1];
    private int[] _lengths = [];
    private int _steps;
    private bool _hasOutput;

    /// <summary>Creates a pooling layer over the time axis.</summary>
    /// <param name="mode">Last valid step or mean over valid steps. Default <see cref="SequencePoolingMode.Last"/>.</param>
    /// <param name="bidirectional">Whether the input's channels are [forward, reverse] halves of a bidirectional recurrent output. Default false.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined mode.</exception>
    public SequencePooling(SequencePoolingMode mode = SequencePoolingMode.Last, bool bidirectional = false)
    {
        if (mode is not (SequencePoolingMode.Last or SequencePoolingMode.Mean))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Expected SequencePoolingMode.Last or SequencePoolingMode.Mean.");
        Mode = mode;
        Bidirectional = bidirectional;
    }

    /// <summary>The reduction.</summary>
    public SequencePoolingMode Mode { get; }

    /// <summary>Whether the channels are the [forward, reverse] halves of a bidirectional recurrent output.</summary>
    public bool Bidirectional { get; }

    /// <summary>The per-example sequence lengths read by <see cref="Forward"/>, or null (every sequence spans all <c>T</c> steps).</summary>
    public SequenceLengths? Lengths { get; set; }

    /// <inheritdoc />
    public override string Name => $"SequencePooling({Mode}" + (Bidirectional ? ", bidirectional" : "") + ")";

    /// <summary>Returns <c>[C]</c> for input <c>[T, C]</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[T, C]</c>, or <c>C</c> is odd for a bidirectional input.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 2 || (Bidirectional && inputShape[1] % 2 != 0))
            throw ShapeError(LayerChecks.Batched(inputShape));
        return [inputShape[1]];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not <c>(N, T, C)</c>, or the lengths do not fit it.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (input.Rank != 3 || (Bidirectional && input.Dim(2) % 2 != 0))
            throw ShapeError(LayerChecks.BatchedOf(input));
        int n = input.Dim(0), steps = input.Dim(1), c = input.Dim(2);
        if (_lengths.Length < n) _lengths = new int[n];
        SequenceLengths.Resolve(Lengths, n, steps, _lengths, this);
        _outRow[0] = c;
        _output.ResizeBatch(n, _outRow);
        ReadOnlySpan<float> x = input.Span;
        Span<float> y = _output.Span;
        int half = Bidirectional ? c / 2 : c;
        for (int b = 0; b < n; b++)
        {
            int length = _lengths[b];
            Span<float> row = y.Slice(b * c, c);
            if (length == 0)
            {
                row.Clear();
                continue;
            }
            if (Mode == SequencePoolingMode.Last)
            {
                x.Slice((b * steps + length - 1) * c, half).CopyTo(row[..half]);
                if (Bidirectional) x.Slice(b * steps * c + half, c - half).CopyTo(row[half..]);
            }
            else
            {
                x.Slice(b * steps * c, c).CopyTo(row);
                for (int t = 1; t < length; t++) TensorPrimitives.Add(row, x.Slice((b * steps + t) * c, c), row);
                TensorPrimitives.Divide(row, length, row);
            }
        }
        _steps = steps;
        _hasOutput = true;
        return _output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _hasOutput ? _output : null, this);
        if (!ComputeInputGradient) return null;
        int n = _output.Dim(0), c = _output.Dim(1), steps = _steps, half = Bidirectional ? c / 2 : c;
        _inputGradient.Resize(n, steps, c);
        Span<float> dx = _inputGradient.Span;
        dx.Clear();
        ReadOnlySpan<float> dy = outputGradient.Span;
        for (int b = 0; b < n; b++)
        {
            int length = _lengths[b];
            if (length == 0) continue;
            ReadOnlySpan<float> g = dy.Slice(b * c, c);
            if (Mode == SequencePoolingMode.Last)
            {
                g[..half].CopyTo(dx.Slice((b * steps + length - 1) * c, half));
                if (Bidirectional) g[half..].CopyTo(dx.Slice(b * steps * c + half, c - half));
            }
            else
            {
                for (int t = 0; t < length; t++) TensorPrimitives.Divide(g, length, dx.Slice((b * steps + t) * c, c));
            }
        }
        return _inputGradient;
    }

    /// <summary>Emits the pooling (see the class remarks): <c>(N, T, C) → (N, C)</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[T, C]</c>.</exception>
    /// <exception cref="NotSupportedException">The graph's opset is below 13.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        int c = GetOutputShape(inputShape)[0];
        OnnxEmit.RequireOpset(graph, 13, this, "Unsqueeze/ReduceSum with axes inputs");
        return Lengths is null ? EmitFullLength(graph, input, c) : EmitWithLengths(graph, input, c, Lengths.OnnxValue(graph));
    }

    private string EmitFullLength(OnnxGraphBuilder graph, string x, int c)
    {
        if (Mode == SequencePoolingMode.Mean)
            return graph.OpsetVersion >= 18
                ? graph.Apply("ReduceMean", [x, graph.AddInt64Initializer("pool_axes", 1)], OnnxAttribute.Int("keepdims", 0))
                : graph.Apply("ReduceMean", [x], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 0));
        string last = graph.Apply("Gather", [x, graph.AddInt64Initializer("pool_last", [-1], [])], OnnxAttribute.Int("axis", 1));
        if (!Bidirectional) return last;
        string first = graph.Apply("Gather", [x, graph.AddInt64Initializer("pool_first", [0], [])], OnnxAttribute.Int("axis", 1));
        string forwardHalf = Slice(graph, last, 0, c / 2);
        string reverseHalf = Slice(graph, first, c / 2, c);
        return graph.Apply("Concat", [forwardHalf, reverseHalf], OnnxAttribute.Int("axis", 1));
    }

    private string EmitWithLengths(OnnxGraphBuilder graph, string x, int c, string lengths)
    {
        string len64 = graph.Apply("Cast", [lengths], OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
        string zero = graph.AddInt64Initializer("pool_zero", [0], []);
        string one = graph.AddInt64Initializer("pool_one", [1], []);
        string zeroF = OnnxEmit.Scalar(graph, "pool_zero_f", 0f);
        if (Mode == SequencePoolingMode.Last)
        {
            string nonEmpty = graph.Apply("Greater", [len64, zero]);                                        // [N] bool
            string nonEmptyColumn = graph.Apply("Unsqueeze", [nonEmpty, graph.AddInt64Initializer("pool_axis1", 1)]); // [N, 1]
            // idx = max(len - 1, 0) as (len - 1)·[len > 0]; the reverse half reads step 0 (selector 0).
            string lastStep = graph.Apply("Mul", [graph.Apply("Sub", [len64, one]),
                graph.Apply("Cast", [nonEmpty], OnnxAttribute.Int("to", (long)OnnxElementType.Int64))]);
            string index = graph.Apply("Unsqueeze", [lastStep, graph.AddInt64Initializer("pool_axes12", 1, 2)]); // [N, 1, 1]
            var selector = new long[c];
            for (int j = 0; j < c; j++) selector[j] = !Bidirectional || j < c / 2 ? 1 : 0;
            index = graph.Apply("Mul", [index, graph.AddInt64Initializer("pool_selector", selector, [1, 1, c])]); // [N, 1, C]
            string gathered = graph.Apply("GatherElements", [x, index], OnnxAttribute.Int("axis", 1));
            string rows = graph.Apply("Reshape", [gathered, graph.AddInt64Initializer("pool_shape", 0, -1)]); // [N, C]
            return graph.Apply("Where", [nonEmptyColumn, rows, zeroF]);
        }
        // Mean: Σ_{t < len} x[:, t] / max(len, 1).
        string shape = graph.Apply("Shape", [x]);
        string steps = graph.Apply("Gather", [shape, one], OnnxAttribute.Int("axis", 0));             // scalar T
        string range = graph.Apply("Range", [zero, steps, one]);                                       // [T]
        string valid = graph.Apply("Less", [
            graph.Apply("Unsqueeze", [range, graph.AddInt64Initializer("pool_axis0", 0)]),            // [1, T]
            graph.Apply("Unsqueeze", [len64, graph.AddInt64Initializer("pool_axis1b", 1)])]);         // [N, 1] → [N, T]
        string valid3 = graph.Apply("Unsqueeze", [valid, graph.AddInt64Initializer("pool_axis2", 2)]); // [N, T, 1]
        string masked = graph.Apply("Where", [valid3, x, zeroF]);
        string sum = graph.Apply("ReduceSum", [masked, graph.AddInt64Initializer("pool_sum_axes", 1)], OnnxAttribute.Int("keepdims", 0));
        string count = graph.Apply("Cast", [graph.Apply("Max", [len64, one])], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
        string countColumn = graph.Apply("Unsqueeze", [count, graph.AddInt64Initializer("pool_axis1c", 1)]);
        return graph.Apply("Div", [sum, countColumn]);
    }

    private static string Slice(OnnxGraphBuilder graph, string x, int start, int end) =>
        graph.Apply("Slice", [x, graph.AddInt64Initializer("pool_start", start), graph.AddInt64Initializer("pool_end", end),
            graph.AddInt64Initializer("pool_slice_axes", 1)]);

    private ArgumentException ShapeError(string got) =>
        new($"{Name} expects (N, T, C) input{(Bidirectional ? " with an even C" : "")}, got {got}.");
}
