using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// 2-D max pooling over NCHW images (PyTorch <c>nn.MaxPool2d</c>, Keras <c>MaxPooling2D</c>):
/// <c>y[n, c, oh, ow] = max_{i &lt; kh, j &lt; kw} x[n, c, oh·s_h − p_h + i, ow·s_w − p_w + j]</c>, where padded
/// positions never win.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>kernelSize</c> <c>(kh, kw)</c> (an int means square); <c>stride</c>, default the kernel size
/// (non-overlapping windows); <c>padding</c>, default 0, at most half the kernel (PyTorch's rule). Dilation and
/// <c>ceil_mode</c> are not supported.</para>
/// <para><b>Shape.</b> Input <c>(N, C, H, W)</c>; output <c>(N, C, H_out, W_out)</c>,
/// <c>H_out = ⌊(H + 2·p_h − kh) / s_h⌋ + 1</c>, likewise <c>W_out</c>.</para>
/// <para><b>Gradient.</b> Each output gradient goes to the input that won its window: the first maximum in row-major
/// window order on ties, as PyTorch (a NaN wins and propagates). Overlapping windows add up.</para>
/// <para><b>ONNX.</b> <c>MaxPool</c> with <c>kernel_shape</c>, <c>strides</c> and <c>pads</c>.</para>
/// </remarks>
/// <example><code>
/// var pool = new MaxPool2d(2);                  // 2×2 windows, stride 2
/// Tensor y = pool.Forward(x, training: true);   // x: (N, 6, 28, 28) → y: (N, 6, 14, 14)
/// </code></example>
public sealed class MaxPool2d : Layer
{
    private readonly PoolWindow _window;
    private readonly Tensor _output = new(0, 0, 0, 0);
    private readonly Tensor _inputGradient = new(0, 0, 0, 0);
    private readonly int[] _outRow = new int[3];
    private readonly int[] _inRow = new int[3];
    private int[] _argmax = [];
    private Tensor? _input;
    private Tensor? _outputGradient;
    private ConvGeometry _geometry;
    private bool _hasOutput;

    /// <summary>Creates a max-pooling layer with a square window.</summary>
    /// <param name="kernelSize">Window height and width (≥ 1).</param>
    /// <param name="stride">Step between windows (≥ 1); default (null) the kernel size.</param>
    /// <param name="padding">Implicit −∞ padding on each side, 0 to <c>kernelSize/2</c>. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public MaxPool2d(int kernelSize, int? stride = null, int padding = 0)
        : this((kernelSize, kernelSize), stride is int s ? (s, s) : null, (padding, padding))
    {
    }

    /// <summary>Creates a max-pooling layer with per-axis sizes.</summary>
    /// <param name="kernelSize">Window <c>(kh, kw)</c> (each ≥ 1).</param>
    /// <param name="stride">Steps <c>(s_h, s_w)</c> (each ≥ 1); default (null) the kernel size.</param>
    /// <param name="padding">Padding <c>(p_h, p_w)</c>, each 0 to half the kernel; default (0, 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public MaxPool2d((int Height, int Width) kernelSize, (int Height, int Width)? stride = null, (int Height, int Width)? padding = null) =>
        _window = new PoolWindow(kernelSize, stride, padding);

    /// <summary>Window size <c>(kh, kw)</c>.</summary>
    public (int Height, int Width) KernelSize => _window.KernelSize;

    /// <summary>Step <c>(s_h, s_w)</c>.</summary>
    public (int Height, int Width) Stride => _window.Stride;

    /// <summary>Padding <c>(p_h, p_w)</c> on each side.</summary>
    public (int Height, int Width) Padding => _window.Padding;

    /// <inheritdoc />
    public override string Name => $"MaxPool2d({_window})";

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
        if (_argmax.Length < _output.Length) _argmax = new int[_output.Length];
        _geometry = g;
        _input = input;
        int planes = input.Dim(0) * g.Channels;
        BatchParallel.For(planes, g.InputPlane + g.OutputPlane, this, static (self, b, e) =>
            MaxPoolKernels.Forward(self._input!.Span, self._geometry, b, e, self._output.Span, self._argmax));
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
            MaxPoolKernels.Backward(self._outputGradient!.Span, self._argmax, self._geometry, b, e, self._inputGradient.Span));
        _outputGradient = null;
        return _inputGradient;
    }

    /// <summary>Emits <c>MaxPool(input)</c> with the window's <c>kernel_shape</c>, <c>strides</c> and <c>pads</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[C, H, W]</c>, or the window does not fit.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        return graph.Apply("MaxPool", [input], _window.OnnxAttributes());
    }
}
