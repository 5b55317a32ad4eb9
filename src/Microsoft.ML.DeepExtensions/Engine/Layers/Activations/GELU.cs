using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Gaussian error linear unit, element-wise: <c>GELU(x) = x · Φ(x)</c>, Φ the standard normal CDF
/// (PyTorch <c>nn.GELU</c>; Hendrycks &amp; Gimpel, "Gaussian Error Linear Units (GELUs)", 2016).
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>approximate</c>: <see cref="GeluApproximation.None"/> (default) uses
/// <c>Φ(x) = (1 + erf(x/√2)) / 2</c>; <see cref="GeluApproximation.Tanh"/> uses
/// <c>Φ(x) ≈ (1 + tanh(√(2/π)·(x + 0.044715·x³))) / 2</c>.</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Gradient.</b> Exact form: <c>dx = dy · (Φ(x) + x·φ(x))</c>, φ the normal density; the tanh form
/// differentiates its own approximation. Both are evaluated in float64 (see <see cref="GeluKernels"/>).</para>
/// <para><b>ONNX.</b> Opset 17 has no <c>Gelu</c> operator, so the formula is composed exactly: exact form
/// <c>0.5 · x · (1 + Erf(x / √2))</c> (opset 9 or later), tanh form
/// <c>0.5 · x · (1 + Tanh(√(2/π) · (x + 0.044715 · x³)))</c>.</para>
/// </remarks>
public sealed class GELU : ActivationLayer
{
    /// <summary>Creates a GELU.</summary>
    /// <param name="approximate">Which form of Φ to use. Default <see cref="GeluApproximation.None"/> (exact erf).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="approximate"/> is not a defined value.</exception>
    public GELU(GeluApproximation approximate = GeluApproximation.None)
    {
        if (!Enum.IsDefined(approximate)) throw new ArgumentOutOfRangeException(nameof(approximate), approximate, "Unknown GELU approximation.");
        Approximate = approximate;
    }

    /// <summary>Which form of Φ is used.</summary>
    public GeluApproximation Approximate { get; }

    /// <inheritdoc />
    public override string Name => Approximate == GeluApproximation.None ? "GELU" : "GELU(tanh)";

    /// <summary>Emits the GELU formula from <c>Erf</c> (exact form) or <c>Tanh</c> (tanh form) and element-wise arithmetic.</summary>
    /// <exception cref="NotSupportedException">The exact form is exported to an opset below 9 (no <c>Erf</c>).</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string phi2; // 2·Φ(x) = 1 + erf(x/√2), or its tanh approximation
        if (Approximate == GeluApproximation.Tanh)
        {
            string cube = graph.Apply("Mul", [graph.Apply("Mul", [input, input]), input]);
            string inner = graph.Apply("Add", [input, graph.Apply("Mul", [cube, OnnxEmit.Scalar(graph, "gelu_cubic", 0.044715f)])]);
            string u = graph.Apply("Mul", [inner, OnnxEmit.Scalar(graph, "gelu_sqrt_2_over_pi", (float)Math.Sqrt(2.0 / Math.PI))]);
            phi2 = graph.Apply("Add", [graph.Apply("Tanh", [u]), OnnxEmit.Scalar(graph, "gelu_one", 1f)]);
        }
        else
        {
            OnnxEmit.RequireOpset(graph, 9, this, "Erf");
            string scaled = graph.Apply("Div", [input, OnnxEmit.Scalar(graph, "gelu_sqrt_2", (float)Math.Sqrt(2.0))]);
            phi2 = graph.Apply("Add", [graph.Apply("Erf", [scaled]), OnnxEmit.Scalar(graph, "gelu_one", 1f)]);
        }
        string xPhi2 = graph.Apply("Mul", [input, phi2]);
        return graph.Apply("Mul", [xPhi2, OnnxEmit.Scalar(graph, "gelu_half", 0.5f)]);
    }

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        GeluKernels.Gelu(input.Span, output.Span, Approximate);

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        GeluKernels.GeluBackward(input.Span, outputGradient.Span, inputGradient.Span, Approximate);
}
