using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// 2-D average pooling over NCHW images (PyTorch <c>nn.AvgPool2d</c>, Keras <c>AveragePooling2D</c>):
/// <c>y[n, c, oh, ow] = (1/d) · Σ_{i &lt; kh, j &lt; kw} x[n, c, oh·s_h − p_h + i, ow·s_w − p_w + j]</c>, padded positions
/// contributing 0.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>kernelSize</c> <c>(kh, kw)</c> (an int means square); <c>stride</c>, default the kernel size;
/// <c>padding</c>, default 0, at most half the kernel; <c>countIncludePad</c>, default true: the divisor <c>d</c> is
/// <c>kh·kw</c> (padded zeros count, PyTorch's default); when false, <c>d</c> is the number of window positions
/// inside the image. <c>ceil_mode</c> and <c>divisor_override</c> are not supported.</para>
/// <para><b>Shape.</b> Input <c>(N, C, H, W)</c>; output <c>(N, C, H_out, W_out)</c>,
/// <c>H_out = ⌊(H + 2·p_h − kh) / s_h⌋ + 1</c>, likewise <c>W_out</c>.</para>
/// <para><b>Gradient.</b> <c>dx</c> receives <c>dy/d</c> at every input position of each window (overlaps add up).</para>
/// <para><b>ONNX.</b> <c>AveragePool</c> with <c>kernel_shape</c>, <c>strides</c>, <c>pads</c> and <c>count_include_pad</c>.</para>
/// </remarks>
public sealed class AvgPool2d : Layer
{
    private readonly PoolWindow _window;
    private readonly Tensor _output = new(0, 0, 0, 0);
    private readonly Tensor _inputGradient = new(0, 0, 0, 0);
    private readonly int[] _outRow = new int[3];
    private readonly int[] _inRow = new int[3];
    private Tensor? _input;
    private Tensor? _outputGradient;
    private ConvGeometry _geometry;
    private bool _hasOutput;

    /// <summary>Creates an average-pooling layer with a square window.</summary>
    /// <param name="kernelSize">Window height and width (≥ 1).</param>
    /// <param name="stride">Step between windows (≥ 1); default (null) the kernel size.</param>
    /// <param name="padding">Zero padding on each side, 0 to <c>kernelSize/2</c>. Default 0.</param>
    /// <param name="countIncludePad">Divide by the full window size, padding included. Default true.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool countIncludePad = true)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding), countIncludePad)
    {
    }

    /// <summary>Creates an average-pooling layer with per-axis sizes.</summary>
    /// <param name="kernelSize">Window <c>(kh, kw)</c> (each ≥ 1).</param>
    /// <param name="stride">Steps <c>(s_h, s_w)</c> (each ≥ 1); default (null) the kernel size.</param>
    /// <param name="padding">Padding <c>(p_h, p_w)</c>, each 0 to half the kernel; default (0, 0).</param>
    /// <param name="countIncludePad">Divide by the full window size, padding included. Default true.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public AvgPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null,
        bool countIncludePad = true)
    {
        _window = new PoolWindow(kernelSize, stride, padding);
        CountIncludePad = countIncludePad;
    }

    /// <summary>Window size <c>(kh, kw)</c>.</summary>
    public (int Height, int Width) KernelSize => _window.KernelSize;

    /// <summary>Step <c>(s_h, s_w)</c>.</summary>
    public (int Height, int Width) Stride => _window.Stride;

    /// <summary>Padding <c>(p_h, p_w)</c> on each side.</summary>
    public (int Height, int Width) Padding => _window.Padding;

    /// <summary>Whether padded zeros count in the divisor.</summary>
    public bool CountIncludePad { get; }

    /// <inheritdoc />
    public override string Name => $"AvgPool2d({_window}" + (CountIncludePad ? ")" : ", count_include_pad=False)");

    /// <summary>Returns <c>[C, H_out, W_out]</c> for <c>[C, H, W]</c>.</summary>
    /// <exception cref="ArgumentException">The shape is not <c>[C, H, W]</c>, or the window does not fit the padded input.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => _window.OutputShape(inputShape, this);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not <c>(N, C, H, W)</c>, or the window does not fit.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        var g = _window.ForInput(input, this);
        _outRow[0] = _inRow[0] = g.Channels;
        _outRow[1] = g.OutputHeight;
        _outRow[2] = g.OutputWidth;
        _inRow[1] = g.Height;
        _inRow[2] = g.Width;
        _output.ResizeBatch(input.Dim(0), _outRow);
        _geometry = g;
        _input = input;
        BatchParallel.For(input.Dim(0) * g.Channels, g.InputPlane + g.OutputPlane, this, static (self, b, e) =>
            AvgPoolKernels.Forward(self._input!.Span, self._geometry, self.CountIncludePad, b, e, self._output.Span));
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
        var g = _geometry;
        _inputGradient.ResizeBatch(_output.Dim(0), _inRow);
        _outputGradient = outputGradient;
        BatchParallel.For(_output.Dim(0) * g.Channels, g.InputPlane + g.OutputPlane, this, static (self, b, e) =>
            AvgPoolKernels.Backward(self._outputGradient!.Span, self._geometry, self.CountIncludePad, b, e, self._inputGradient.Span));
        _outputGradient = null;
        return _inputGradient;
    }

    /// <summary>Emits <c>AveragePool(input)</c> with <c>kernel_shape</c>, <c>strides</c>, <c>pads</c> and <c>count_include_pad</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[C, H, W]</c>, or the window does not fit.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        return graph.Apply("AveragePool", [input], [.. _window.OnnxAttributes(), OnnxAttribute.Int("count_include_pad", CountIncludePad ? 1 : 0)]);
    }
}
