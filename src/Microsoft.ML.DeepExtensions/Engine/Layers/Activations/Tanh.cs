using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Hyperbolic tangent, element-wise: <c>Tanh(x) = (e^x - e^-x) / (e^x + e^-x)</c> (PyTorch <c>nn.Tanh</c>).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy · (1 - y²)</c>, computed from the output.</para>
/// <para><b>ONNX.</b> <c>Tanh</c>.</para>
/// </remarks>
public sealed class Tanh : ActivationLayer
{
    /// <summary>Emits <c>Tanh</c>.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Apply("Tanh", [input]);
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) => ActivationKernels.Tanh(input.Span, output.Span);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.TanhBackward(output.Span, outputGradient.Span, inputGradient.Span);
}
