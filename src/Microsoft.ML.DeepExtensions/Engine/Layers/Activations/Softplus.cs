using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Softplus, element-wise: <c>Softplus(x) = log(1 + exp(beta · x)) / beta</c>, a smooth ReLU
/// (PyTorch <c>nn.Softplus</c>). For numerical stability it returns <c>x</c> where <c>beta · x &gt; threshold</c>.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>beta</c>: sharpness, default 1. <c>threshold</c>: above <c>beta·x &gt; threshold</c>
/// the layer is the identity, default 20 (both as PyTorch).</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> <c>dx = dy · σ(beta · x)</c>, or <c>dy</c> above the threshold.</para>
/// <para><b>ONNX.</b> <c>Where(x &gt; t, x, Softplus(beta · x) / beta)</c>, where <c>t</c> is the largest float32 with
/// <c>beta · t ≤ threshold</c>, so that the switch to the identity happens at exactly the same inputs as in
/// <see cref="Layer.Forward"/>. The multiplication and division are omitted when <c>beta = 1</c>, and the
/// <c>Where</c> when the threshold is +∞ (opset 9 or later otherwise).</para>
/// </remarks>
public sealed class Softplus : ActivationLayer
{
    /// <summary>Creates a softplus.</summary>
    /// <param name="beta">Sharpness; must be positive and finite. Default 1.</param>
    /// <param name="threshold">Linear above <c>beta·x &gt; threshold</c>. Default 20.</param>
    /// <exception cref="ArgumentException"><paramref name="beta"/> is not positive and finite, or <paramref name="threshold"/> is NaN.</exception>
    public Softplus(float beta = 1f, float threshold = 20f)
    {
        if (!(beta > 0f) || !float.IsFinite(beta))
            throw new ArgumentException($"beta must be positive and finite, got {beta}.", nameof(beta));
        if (float.IsNaN(threshold))
            throw new ArgumentException("threshold must not be NaN.", nameof(threshold));
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>Sharpness <c>beta</c>.</summary>
    public float Beta { get; }

    /// <summary>Linear-region threshold on <c>beta · x</c>.</summary>
    public float Threshold { get; }

    /// <inheritdoc />
    public override string Name => $"Softplus(beta={Beta}, threshold={Threshold})";

    /// <summary>Emits <c>Where(Greater(x, t), x, Div(Softplus(Mul(x, beta)), beta))</c> (see the remarks for <c>t</c>).</summary>
    /// <exception cref="NotSupportedException">The threshold is finite and the graph's opset is below 9 (no <c>Where</c>).</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        bool linearRegion = Threshold != float.PositiveInfinity;
        if (linearRegion) OnnxEmit.RequireOpset(graph, 9, this, "Where");
        string smooth;
        if (Beta == 1f)
            smooth = graph.Apply("Softplus", [input]);
        else
        {
            string beta = OnnxEmit.Scalar(graph, "softplus_beta", Beta);
            string softplus = graph.Apply("Softplus", [graph.Apply("Mul", [input, beta])]);
            smooth = graph.Apply("Div", [softplus, beta]);
        }
        if (!linearRegion) return smooth;
        string above = graph.Apply("Greater", [input, OnnxEmit.Scalar(graph, "softplus_cutoff", LinearCutoff(Beta, Threshold))]);
        return graph.Apply("Where", [above, input, smooth]);
    }

    /// <summary>
    /// The largest float32 <c>t</c> with <c>beta · t ≤ threshold</c> in exact arithmetic (the product of two float32
    /// values is exact in float64), so that <c>x &gt; t ⇔ beta · x &gt; threshold</c> for every float32 <c>x</c>.
    /// </summary>
    internal static float LinearCutoff(float beta, float threshold)
    {
        if (float.IsInfinity(threshold)) return threshold;
        float t = (float)(threshold / (double)beta);
        while ((double)t * beta > threshold) t = MathF.BitDecrement(t);
        while (t < float.MaxValue && (double)MathF.BitIncrement(t) * beta <= threshold) t = MathF.BitIncrement(t);
        return t;
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        ActivationKernels.Softplus(input.Span, output.Span, Beta, Threshold);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        ActivationKernels.SoftplusBackward(input.Span, outputGradient.Span, inputGradient.Span, Beta, Threshold);
}
