using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Flattens every example into a vector: <c>(N, d1, ..., dk) → (N, d1·...·dk)</c> in row-major order
/// (PyTorch <c>nn.Flatten()</c> with <c>start_dim=1</c>, Keras <c>Flatten</c>). For <c>(N, C, H, W)</c>
/// images the features come out in <c>(C, H, W)</c> order, as in PyTorch.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, prod(*))</c>. An input <c>(N)</c> becomes <c>(N, 1)</c>.</para>
/// <para><b>No copy.</b> The output is a <i>view</i>: a tensor object owned by this layer that wraps the
/// input's own backing array with the flattened shape. Writing into the output therefore writes into the
/// input, and the output becomes stale once the producer of the input reallocates or overwrites it (which
/// is fine inside a network, where each tensor lives until the next step). Likewise <see cref="Backward"/>
/// returns a view of the incoming gradient's array with the input's shape. Call <see cref="Tensor.Clone"/> to keep
/// an independent copy. The view objects are reused while the wrapped arrays stay the same (as they do when the
/// input is another layer's output, resized in place), so steady-state calls allocate nothing; a new input
/// array costs one small view object.</para>
/// <para><b>ONNX.</b> <c>Flatten(axis=1)</c>.</para>
/// </remarks>
public sealed class Flatten : Layer
{
    private readonly int[] _flatRow = [0];
    private Tensor? _output;
    private Tensor? _inputGradient;
    private int[] _inputRow = [];

    /// <summary>Returns <c>[prod(inputShape)]</c>.</summary>
    /// <exception cref="ArgumentException">The element count overflows.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        long n = 1;
        foreach (int d in inputShape)
        {
            if (d < 0) throw new ArgumentException($"Flatten got a negative dimension in {LayerChecks.Batched(inputShape)}.");
            n *= d;
            if (n > int.MaxValue) throw new ArgumentException($"Flatten: {LayerChecks.Batched(inputShape)} holds more than 2^31-1 values per example.");
        }
        return [(int)n];
    }

    /// <summary>Emits <c>Flatten(axis=1)</c>: <c>(N, d1, ..., dk) → (N, d1·...·dk)</c>.</summary>
    /// <exception cref="ArgumentException">The element count overflows.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        return graph.Apply("Flatten", [input], OnnxAttribute.Int("axis", 1));
    }

    /// <inheritdoc />
    /// <returns>A view <c>(N, prod(*))</c> sharing <paramref name="input"/>'s array.</returns>
    /// <exception cref="ArgumentException">The input has no batch dimension.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        ReadOnlySpan<int> row = input.Shape[1..];
        if (!row.SequenceEqual(_inputRow)) _inputRow = row.ToArray();
        int n = input.Dim(0);
        _flatRow[0] = input.RowLength;
        _output = View(_output, input.Data, n, _flatRow);
        return _output;
    }

    /// <inheritdoc />
    /// <returns>A view shaped like the last input, sharing <paramref name="outputGradient"/>'s array; null when <see cref="Layer.ComputeInputGradient"/> is false.</returns>
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _output, this);
        if (!ComputeInputGradient) return null;
        _inputGradient = View(_inputGradient, outputGradient.Data, outputGradient.Dim(0), _inputRow);
        return _inputGradient;
    }

    private static Tensor View(Tensor? view, float[] data, int batch, int[] row)
    {
        if (view is not null && ReferenceEquals(view.Data, data))
        {
            view.ResizeBatch(batch, row); // the array already holds batch·prod(row) values: no allocation
            return view;
        }
        var shape = new int[row.Length + 1];
        shape[0] = batch;
        row.CopyTo(shape, 1);
        return new Tensor(data, shape);
    }
}
