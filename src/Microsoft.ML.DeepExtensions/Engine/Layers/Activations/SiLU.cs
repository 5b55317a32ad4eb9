using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Sigmoid linear unit (swish), element-wise: <c>SiLU(x) = x · σ(x)</c> (PyTorch <c>nn.SiLU</c>;
/// Elfwing, Uchibe &amp; Doya, 2018; Ramachandran, Zoph &amp; Le, 2017).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy · σ(x) · (1 + x · (1 - σ(x)))</c>.</para>
/// <para><b>ONNX.</b> <c>Mul(x, Sigmoid(x))</c>.</para>
/// </remarks>
public sealed class SiLU : ActivationLayer
{
    /// <summary>Emits <c>Mul(x, Sigmoid(x))</c>.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string sigmoid = graph.Apply("Sigmoid", [input]);
        return graph.Apply("Mul", [input, sigmoid]);
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) => ActivationKernels.Silu(input.Span, output.Span);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.SiluBackward(input.Span, outputGradient.Span, inputGradient.Span);
}
