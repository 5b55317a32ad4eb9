using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// A fixed affine map <c>y = x·scale + offset</c> applied to every element (Keras <c>layers.Rescaling</c>). It has no
/// trainable parameters. Regression trainers end their network with it to put standardized outputs back into the
/// label's units (<c>scale</c> = label standard deviation, <c>offset</c> = label mean).
/// </summary>
/// <remarks>Shape: input <c>(N, *)</c>, output the same.</remarks>
public sealed class Rescaling : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);

    /// <summary>Creates the map <c>y = x·scale + offset</c>.</summary>
    /// <param name="scale">The factor (finite).</param>
    /// <param name="offset">The shift (finite). Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is not finite.</exception>
    public Rescaling(float scale, float offset = 0f)
    {
        if (!float.IsFinite(scale)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be finite.");
        if (!float.IsFinite(offset)) throw new ArgumentOutOfRangeException(nameof(offset), offset, "The offset must be finite.");
        Scale = scale;
        Offset = offset;
    }

    /// <summary>The factor.</summary>
    public float Scale { get; }

    /// <summary>The shift.</summary>
    public float Offset { get; }

    /// <inheritdoc />
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        ArgumentNullException.ThrowIfNull(input);
        _output.Resize(input.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(input.Span, Scale, _output.Span);
        System.Numerics.Tensors.TensorPrimitives.Add(_output.Span, Offset, _output.Span);
        return _output;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (!ComputeInputGradient) return null;
        _inputGradient.Resize(outputGradient.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(outputGradient.Span, Scale, _inputGradient.Span);
        return _inputGradient;
    }

    /// <summary>Emits <c>Add(Mul(x, scale), offset)</c>.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string scale = graph.AddInitializer("rescaling_scale", [Scale], []);
        string offset = graph.AddInitializer("rescaling_offset", [Offset], []);
        return graph.Apply("Add", [graph.Apply("Mul", [input, scale]), offset]);
    }

    /// <inheritdoc />
    public override string Name => $"Rescaling({Scale:G6}, {Offset:G6})";
}
