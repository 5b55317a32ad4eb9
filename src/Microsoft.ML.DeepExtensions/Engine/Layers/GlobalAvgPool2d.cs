using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Global average pooling (Lin, Chen &amp; Yan, "Network In Network", ICLR 2014; Keras <c>GlobalAveragePooling2D</c>;
/// PyTorch <c>nn.AdaptiveAvgPool2d(1)</c> followed by <c>flatten(1)</c>): <c>y[n, c] = (1/(H·W)) · Σ_{h, w} x[n, c, h, w]</c>.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, C, H, W)</c>; output <c>(N, C)</c>, ready for a <see cref="Linear"/> layer.</para>
/// <para><b>Gradient.</b> <c>dx[n, c, h, w] = dy[n, c] / (H·W)</c>.</para>
/// <para><b>ONNX.</b> <c>GlobalAveragePool</c> (giving <c>(N, C, 1, 1)</c>) then <c>Flatten(axis=1)</c>.</para>
/// </remarks>
public sealed class GlobalAvgPool2d : Layer
{
    private readonly Tensor _output = new(0, 0);
    private readonly Tensor _inputGradient = new(0, 0, 0, 0);
    private readonly int[] _outRow = new int[1];
    private readonly int[] _inRow = new int[3];
    private Tensor? _input;
    private Tensor? _outputGradient;
    private int _plane;
    private bool _hasOutput;

    /// <summary>Returns <c>[C]</c> for <c>[C, H, W]</c>.</summary>
    /// <exception cref="ArgumentException">The shape is not <c>[C, H, W]</c> with positive sizes.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3 || inputShape[0] < 1 || inputShape[1] < 1 || inputShape[2] < 1)
            throw ShapeError(LayerChecks.Batched(inputShape));
        return [inputShape[0]];
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not <c>(N, C, H, W)</c> with positive sizes.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (input.Rank != 4 || input.Dim(1) < 1 || input.Dim(2) < 1 || input.Dim(3) < 1)
            throw ShapeError(LayerChecks.BatchedOf(input));
        _outRow[0] = _inRow[0] = input.Dim(1);
        _inRow[1] = input.Dim(2);
        _inRow[2] = input.Dim(3);
        _plane = input.Dim(2) * input.Dim(3);
        _output.ResizeBatch(input.Dim(0), _outRow);
        _input = input;
        BatchParallel.For(_output.Length, _plane, this, static (self, b, e) =>
            AvgPoolKernels.GlobalForward(self._input!.Span, self._plane, b, e, self._output.Span));
        _input = null;
        _hasOutput = true;
        return _output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _hasOutput ? _output : null, this);
        if (!ComputeInputGradient) return null;
        _inputGradient.ResizeBatch(_output.Dim(0), _inRow);
        _outputGradient = outputGradient;
        BatchParallel.For(_output.Length, _plane, this, static (self, b, e) =>
            AvgPoolKernels.GlobalBackward(self._outputGradient!.Span, self._plane, b, e, self._inputGradient.Span));
        _outputGradient = null;
        return _inputGradient;
    }

    /// <summary>Emits <c>GlobalAveragePool</c> then <c>Flatten(axis=1)</c>: <c>(N, C, H, W) → (N, C)</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[C, H, W]</c>.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        string pooled = graph.Apply("GlobalAveragePool", [input]);
        return graph.Apply("Flatten", [pooled], OnnxAttribute.Int("axis", 1));
    }

    private static ArgumentException ShapeError(string got) => new($"GlobalAvgPool2d expects (N, C, H, W) input, got {got}.");
}
