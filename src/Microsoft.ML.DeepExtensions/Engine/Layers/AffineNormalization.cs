using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// A fixed per-feature affine map <c>y = (x − shift[k])·scale[k] + offset[k]</c>, where k indexes the first
/// per-example dimension and the map is broadcast over the others: per slot for vectors <c>(N, K)</c>, per channel
/// for images <c>(N, K, H, W)</c> or <c>(N, K, L)</c>. It has no trainable parameters (like Keras
/// <c>layers.Normalization</c> after <c>adapt</c>). The normalization transforms of the ML.NET layer compute with it:
/// z-score is <c>shift = mean</c>, <c>scale = 1/σ</c>, <c>offset = 0</c>; min-max to [a, b] is <c>shift = min</c>,
/// <c>scale = (b − a)/(max − min)</c>, <c>offset = a</c>.
/// </summary>
/// <remarks>
/// <para>Shape: input <c>(N, K, *)</c>, output the same. Parameters: three vectors of K float32 values.</para>
/// <para>Arithmetic: each of the three steps is one float32 operation, rounded, in this order (subtract, multiply,
/// add), exactly as the ONNX graph's <c>Sub</c>, <c>Mul</c> and <c>Add</c> nodes compute it, so ONNX Runtime
/// reproduces <see cref="Forward"/> to the bit on the same hardware. A scale of 0 maps every finite input to
/// <c>offset[k]</c> (how the transforms map constant features); a non-finite input gives a non-finite output.</para>
/// </remarks>
public sealed class AffineNormalization : Layer
{
    private readonly float[] _shift, _scale, _offset;
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);

    /// <summary>Creates the map <c>y = (x − shift)·scale + offset</c> with K = <paramref name="shift"/>.Length features.</summary>
    /// <param name="shift">The value subtracted first, per feature (finite).</param>
    /// <param name="scale">The factor, per feature (finite).</param>
    /// <param name="offset">The value added last, per feature (finite); null for zeros.</param>
    /// <exception cref="ArgumentException">The vectors are empty or of different lengths, or hold a non-finite value.</exception>
    public AffineNormalization(ReadOnlySpan<float> shift, ReadOnlySpan<float> scale, ReadOnlySpan<float> offset = default)
    {
        if (shift.IsEmpty) throw new ArgumentException("At least one feature is needed.", nameof(shift));
        if (scale.Length != shift.Length || (!offset.IsEmpty && offset.Length != shift.Length))
            throw new ArgumentException($"shift, scale and offset need one value per feature: got {shift.Length}, {scale.Length} and {offset.Length}.", nameof(scale));
        _shift = Finite(shift, nameof(shift));
        _scale = Finite(scale, nameof(scale));
        _offset = offset.IsEmpty ? new float[shift.Length] : Finite(offset, nameof(offset));
    }

    /// <summary>K, the number of features (size of the first per-example dimension).</summary>
    public int FeatureCount => _shift.Length;

    /// <summary>The value subtracted from each feature.</summary>
    public ReadOnlySpan<float> Shift => _shift;

    /// <summary>The factor of each feature.</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>The value added to each feature.</summary>
    public ReadOnlySpan<float> Offset => _offset;

    /// <inheritdoc />
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length == 0 || inputShape[0] != FeatureCount)
            throw new ArgumentException($"{Name} expects per-example inputs ({FeatureCount}, *); got ({string.Join(", ", inputShape.ToArray())}).", nameof(inputShape));
        return inputShape.ToArray();
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2 || input.Dim(1) != FeatureCount) GetOutputShape(input.Shape[1..]); // throws with the expected shape
        _output.Resize(input.Shape);
        Apply(input.Span, _output.Span, input.BatchSize, input.RowLength / FeatureCount);
        return _output;
    }

    /// <summary>
    /// Applies the map to <paramref name="batch"/> examples of K·<paramref name="inner"/> values each (feature-major within
    /// an example), writing <paramref name="destination"/> (which may be <paramref name="source"/>).
    /// </summary>
    public void Apply(ReadOnlySpan<float> source, Span<float> destination, int batch, int inner)
    {
        int k = FeatureCount;
        long needed = (long)batch * k * inner;
        if (source.Length < needed || destination.Length < needed)
            throw new ArgumentException($"{batch} examples of {k}×{inner} values need {needed} values.", nameof(source));
        for (int n = 0; n < batch; n++)
        {
            int row = n * k * inner;
            if (inner == 1)
            {
                var x = source.Slice(row, k);
                var y = destination.Slice(row, k);
                TensorPrimitives.Subtract(x, _shift, y);
                TensorPrimitives.Multiply(y, _scale, y);
                TensorPrimitives.Add(y, _offset, y);
                continue;
            }
            for (int j = 0; j < k; j++)
            {
                var x = source.Slice(row + j * inner, inner);
                var y = destination.Slice(row + j * inner, inner);
                TensorPrimitives.Subtract(x, _shift[j], y);
                TensorPrimitives.Multiply(y, _scale[j], y);
                TensorPrimitives.Add(y, _offset[j], y);
            }
        }
    }

    /// <summary>dL/dx = dL/dy · scale[k] (no parameter gradients: the map is fixed).</summary>
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (!ComputeInputGradient) return null;
        _inputGradient.Resize(outputGradient.Shape);
        int k = FeatureCount, inner = outputGradient.RowLength / k;
        var g = outputGradient.Span;
        var d = _inputGradient.Span;
        for (int n = 0; n < outputGradient.BatchSize; n++)
        {
            int row = n * k * inner;
            if (inner == 1)
            {
                TensorPrimitives.Multiply(g.Slice(row, k), _scale, d.Slice(row, k));
                continue;
            }
            for (int j = 0; j < k; j++)
                TensorPrimitives.Multiply(g.Slice(row + j * inner, inner), _scale[j], d.Slice(row + j * inner, inner));
        }
        return _inputGradient;
    }

    /// <summary>
    /// Emits <c>Add(Mul(Sub(x, shift), scale), offset)</c> with the parameters shaped <c>[K, 1, ..., 1]</c> to broadcast
    /// over the per-example dimensions after the first (the <c>Add</c> is left out when every offset is 0).
    /// </summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        var shape = new int[inputShape.Length];
        Array.Fill(shape, 1);
        shape[0] = FeatureCount;
        string shifted = graph.Apply("Sub", [input, graph.AddInitializer("normalization_shift", _shift, shape)]);
        string scaled = graph.Apply("Mul", [shifted, graph.AddInitializer("normalization_scale", _scale, shape)]);
        if (Array.TrueForAll(_offset, o => o == 0)) return scaled;
        return graph.Apply("Add", [scaled, graph.AddInitializer("normalization_offset", _offset, shape)]);
    }

    /// <inheritdoc />
    public override string Name => $"AffineNormalization({FeatureCount})";

    private static float[] Finite(ReadOnlySpan<float> values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] is {values[i]}; every value must be finite.", name);
        return values.ToArray();
    }
}
