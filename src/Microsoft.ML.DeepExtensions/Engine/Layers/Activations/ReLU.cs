using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Rectified linear unit, element-wise: <c>ReLU(x) = max(0, x)</c> (PyTorch <c>nn.ReLU</c>; Nair &amp; Hinton, 2010).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy</c> where <c>x &gt; 0</c>, else 0 (the subgradient at 0 is 0, as in PyTorch).</para>
/// <para><b>ONNX.</b> <c>Relu</c>.</para>
/// </remarks>
/// <example><code>var net = new Sequential(new Linear(64, 256), new ReLU(), new Linear(256, 10));</code></example>
public sealed class ReLU : ActivationLayer
{
    /// <summary>Emits <c>Relu</c>.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Apply("Relu", [input]);
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) => ActivationKernels.Relu(input.Span, output.Span);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.ReluBackward(input.Span, outputGradient.Span, inputGradient.Span);
}
