using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Leaky rectified linear unit, element-wise: <c>LeakyReLU(x) = x</c> if <c>x &gt; 0</c>, else
/// <c>negativeSlope · x</c> (PyTorch <c>nn.LeakyReLU</c>; Maas et al., 2013).
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>negativeSlope</c>: the slope for negative inputs. Default 0.01 (PyTorch; Keras uses 0.3).</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy</c> where <c>x &gt; 0</c>, else <c>negativeSlope · dy</c>.</para>
/// <para><b>ONNX.</b> <c>LeakyRelu(alpha=negativeSlope)</c>.</para>
/// </remarks>
public sealed class LeakyReLU : ActivationLayer
{
    /// <summary>Creates a leaky ReLU.</summary>
    /// <param name="negativeSlope">Slope for <c>x ≤ 0</c>. Default 0.01.</param>
    /// <exception cref="ArgumentException"><paramref name="negativeSlope"/> is not finite.</exception>
    public LeakyReLU(float negativeSlope = 0.01f)
    {
        if (!float.IsFinite(negativeSlope))
            throw new ArgumentException($"negativeSlope must be finite, got {negativeSlope}.", nameof(negativeSlope));
        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for non-positive inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc />
    public override string Name => $"LeakyReLU({NegativeSlope})";

    /// <summary>Emits <c>LeakyRelu(alpha=negativeSlope)</c>.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Apply("LeakyRelu", [input], OnnxAttribute.Float("alpha", NegativeSlope));
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        ActivationKernels.LeakyRelu(input.Span, output.Span, NegativeSlope);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.LeakyReluBackward(input.Span, outputGradient.Span, inputGradient.Span, NegativeSlope);
}
