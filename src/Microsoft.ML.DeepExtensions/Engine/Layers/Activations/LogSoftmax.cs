using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Log-softmax over the last dimension: <c>LogSoftmax(x)ᵢ = xᵢ - log Σⱼ exp(xⱼ)</c>
/// (PyTorch <c>nn.LogSoftmax(dim=-1)</c>).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *, C)</c>, at least two dimensions; output <c>(N, *, C)</c>.</para>
/// <para><b>Stability.</b> Computed as <c>(xᵢ - m) - log Σⱼ exp(xⱼ - m)</c> with <c>m</c> the row maximum,
/// so it neither overflows nor takes the log of an underflowed softmax.</para>
/// <para><b>Gradient.</b> <c>dxᵢ = dyᵢ - exp(yᵢ) · Σⱼ dyⱼ</c>.</para>
/// <para><b>ONNX.</b> <c>LogSoftmax(axis=-1)</c>.</para>
/// </remarks>
public sealed class LogSoftmax : ActivationLayer
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">The per-example shape is empty (input <c>(N)</c>) or its last dimension is 0.</exception>
    protected override void ValidateShape(ReadOnlySpan<int> perExampleShape) => Softmax.ValidateLastDim(perExampleShape, this);

    /// <summary>Emits <c>LogSoftmax(axis=-1)</c> (opset 13 semantics: over the last axis only; below opset 13 the axis is
    /// written as a positive index, which coerces to the same 2-D view).</summary>
    /// <exception cref="ArgumentException">The per-example shape is empty or its last dimension is 0.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        long axis = graph.OpsetVersion >= 13 ? -1 : inputShape.Length;
        return graph.Apply("LogSoftmax", [input], OnnxAttribute.Int("axis", axis));
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        SoftmaxKernels.LogSoftmax(input.Span, output.Span, input.Dim(-1));

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        SoftmaxKernels.LogSoftmaxBackward(output.Span, outputGradient.Span, inputGradient.Span, output.Dim(-1));
}
