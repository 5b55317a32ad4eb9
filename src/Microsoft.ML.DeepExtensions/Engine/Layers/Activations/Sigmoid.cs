using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Logistic sigmoid, element-wise: <c>Sigmoid(x) = 1 / (1 + exp(-x))</c> (PyTorch <c>nn.Sigmoid</c>).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy · y · (1 - y)</c>, computed from the output.</para>
/// <para><b>ONNX.</b> <c>Sigmoid</c>.</para>
/// </remarks>
/// <example><code>var net = new Sequential(new Linear(16, 1), new Sigmoid());</code></example>
public sealed class Sigmoid : ActivationLayer
{
    /// <summary>Emits <c>Sigmoid</c>.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Apply("Sigmoid", [input]);
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) => ActivationKernels.Sigmoid(input.Span, output.Span);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.SigmoidBackward(output.Span, outputGradient.Span, inputGradient.Span);
}
