using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Logistic sigmoid, element-wise: <c>Sigmoid(x) = 1 / (1 + exp(-x))</c> (PyTorch <c>nn.Sigmoid</c>).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy · y · (1 - y)</c>, computed from the output.</para>
/// </remarks>
/// <example><code>var net = new Sequential(new Linear(16, 1), new Sigmoid());</code></example>
public sealed class Sigmoid : ActivationLayer
{
    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) => ActivationKernels.Sigmoid(input.Span, output.Span);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.SigmoidBackward(output.Span, outputGradient.Span, inputGradient.Span);
}
