using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Exponential linear unit, element-wise: <c>ELU(x) = x</c> if <c>x &gt; 0</c>, else <c>alpha · (exp(x) - 1)</c>
/// (PyTorch <c>nn.ELU</c>; Clevert, Unterthiner &amp; Hochreiter, "Fast and Accurate Deep Network Learning
/// by Exponential Linear Units", 2016).
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>alpha</c>: the negative saturation value. Default 1.0.</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy</c> where <c>x &gt; 0</c>, else <c>dy · alpha · exp(x)</c>.</para>
/// <para><b>ONNX.</b> <c>Elu(alpha)</c>.</para>
/// </remarks>
public sealed class ELU : ActivationLayer
{
    /// <summary>Creates an ELU.</summary>
    /// <param name="alpha">Scale of the negative branch. Default 1.0.</param>
    /// <exception cref="ArgumentException"><paramref name="alpha"/> is not finite.</exception>
    public ELU(float alpha = 1.0f)
    {
        if (!float.IsFinite(alpha))
            throw new ArgumentException($"alpha must be finite, got {alpha}.", nameof(alpha));
        Alpha = alpha;
    }

    /// <summary>Scale of the negative branch.</summary>
    public float Alpha { get; }

    /// <inheritdoc />
    public override string Name => $"ELU({Alpha})";

    /// <summary>Emits <c>Elu(alpha)</c>.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return graph.Apply("Elu", [input], OnnxAttribute.Float("alpha", Alpha));
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        ActivationKernels.Elu(input.Span, output.Span, Alpha);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.EluBackward(input.Span, outputGradient.Span, inputGradient.Span, Alpha);
}
