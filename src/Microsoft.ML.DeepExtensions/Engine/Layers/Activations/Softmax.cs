using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Softmax over the last dimension: <c>Softmax(x)ᵢ = exp(xᵢ) / Σⱼ exp(xⱼ)</c>
/// (PyTorch <c>nn.Softmax(dim=-1)</c>, Keras <c>Softmax(axis=-1)</c>).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *, C)</c>, at least two dimensions; output <c>(N, *, C)</c>, each
/// last-dimension row summing to 1.</para>
/// <para><b>Stability.</b> The row maximum is subtracted before exponentiating (see <see cref="SoftmaxKernels"/>).</para>
/// <para><b>Gradient.</b> <c>dxᵢ = yᵢ · (dyᵢ - Σⱼ dyⱼ·yⱼ)</c>. For classification, prefer a cross-entropy
/// loss on logits to <c>Softmax</c> followed by a log.</para>
/// <para><b>ONNX.</b> <c>Softmax(axis=-1)</c>.</para>
/// </remarks>
public sealed class Softmax : ActivationLayer
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The per-example shape is empty (input <c>(N)</c>) or its last dimension is 0.</exception>
    protected override void ValidateShape(ReadOnlySpan<int> perExampleShape) => ValidateLastDim(perExampleShape, this);

    /// <summary>Emits <c>Softmax(axis=-1)</c> (opset 13 semantics: over the last axis only; below opset 13 the axis is
    /// written as a positive index, which coerces to the same 2-D view).</summary>
    /// <exception cref="ArgumentException">The per-example shape is empty or its last dimension is 0.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        long axis = graph.OpsetVersion >= 13 ? -1 : inputShape.Length;
        return graph.Apply("Softmax", [input], OnnxAttribute.Int("axis", axis));
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        SoftmaxKernels.Softmax(input.Span, output.Span, input.Dim(-1));

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        SoftmaxKernels.SoftmaxBackward(output.Span, outputGradient.Span, inputGradient.Span, output.Dim(-1));

    internal static void ValidateLastDim(ReadOnlySpan<int> perExampleShape, Layer layer)
    {
        if (perExampleShape.Length == 0 || perExampleShape[^1] == 0)
            throw new ArgumentException($"{layer.Name} works over the last dimension and expects (N, *, C) input with C ≥ 1, got {LayerChecks.Batched(perExampleShape)}.");
    }
}
