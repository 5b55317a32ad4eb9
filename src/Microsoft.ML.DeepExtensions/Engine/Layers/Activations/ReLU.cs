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
/// <para><b>Threads.</b> Tensors of more than about 2¹⁸ values are split into ranges over up to
/// <see cref="Parallelism.MaxDegreeOfParallelism"/> threads (the result is the same bits).</para>
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

    // Both directions are exact per element, so large tensors are split into ranges over threads with identical bits.

    /// <inheritdoc />
    protected override void ForwardCore(Tensor input, Tensor output) =>
        BatchParallel.For(input.Length, 2, (X: input, Y: output), static (s, b, e) =>
            ActivationKernels.Relu(s.X.Span[b..e], s.Y.Span[b..e]));

    /// <inheritdoc />
    protected override void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient) =>
        BatchParallel.For(input.Length, 3, (X: input, DY: outputGradient, DX: inputGradient), static (s, b, e) =>
            ActivationKernels.ReluBackward(s.X.Span[b..e], s.DY.Span[b..e], s.DX.Span[b..e]));
}
