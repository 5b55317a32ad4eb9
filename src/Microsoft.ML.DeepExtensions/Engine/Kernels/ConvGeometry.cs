namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The sizes of a 2-D sliding window (convolution or pooling) over one NCHW image: <c>C</c> channels of
/// <c>H×W</c>, a <c>kh×kw</c> window with strides, zero padding on both sides and dilation, and the output
/// plane <c>H_out×W_out</c> it produces.
/// </summary>
/// <remarks>
/// <c>H_out = ⌊(H + 2·pad_h − dil_h·(kh − 1) − 1) / stride_h⌋ + 1</c> (PyTorch, and ONNX with
/// <c>ceil_mode = 0</c>); likewise for the width. Window <c>(oh, ow)</c> reads input row
/// <c>oh·stride_h − pad_h + i·dil_h</c> for <c>i</c> in <c>[0, kh)</c>.
/// </remarks>
/// <param name="Channels">Input channels <c>C</c> (of one group, for a grouped convolution's columns).</param>
/// <param name="Height">Input height <c>H</c>.</param>
/// <param name="Width">Input width <c>W</c>.</param>
/// <param name="KernelHeight">Window height <c>kh</c>.</param>
/// <param name="KernelWidth">Window width <c>kw</c>.</param>
/// <param name="StrideHeight">Vertical step <c>stride_h</c>.</param>
/// <param name="StrideWidth">Horizontal step <c>stride_w</c>.</param>
/// <param name="PadHeight">Zero rows added above and below, <c>pad_h</c>.</param>
/// <param name="PadWidth">Zero columns added left and right, <c>pad_w</c>.</param>
/// <param name="DilationHeight">Vertical spacing of the window taps, <c>dil_h</c> (1 = dense).</param>
/// <param name="DilationWidth">Horizontal spacing of the window taps, <c>dil_w</c>.</param>
internal readonly record struct ConvGeometry(
    int Channels, int Height, int Width,
    int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth,
    int PadHeight, int PadWidth,
    int DilationHeight, int DilationWidth)
{
    /// <summary>Output height <c>H_out</c> (0 when the window does not fit).</summary>
    public int OutputHeight => OutputSize(Height, KernelHeight, StrideHeight, PadHeight, DilationHeight);

    /// <summary>Output width <c>W_out</c> (0 when the window does not fit).</summary>
    public int OutputWidth => OutputSize(Width, KernelWidth, StrideWidth, PadWidth, DilationWidth);

    /// <summary><c>H·W</c>.</summary>
    public int InputPlane => Height * Width;

    /// <summary><c>H_out·W_out</c>.</summary>
    public int OutputPlane => OutputHeight * OutputWidth;

    /// <summary>Values per image, <c>C·H·W</c>.</summary>
    public int ImageLength => Channels * Height * Width;

    /// <summary>Rows of the im2col matrix, <c>C·kh·kw</c>.</summary>
    public int ColumnRows => Channels * KernelHeight * KernelWidth;

    /// <summary>True for a 1×1 window with stride 1 and no padding: the columns are the image itself.</summary>
    public bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1 && PadHeight == 0 && PadWidth == 0;

    /// <summary><c>⌊(size + 2·pad − dilation·(kernel − 1) − 1) / stride⌋ + 1</c>, or 0 when the (dilated) window is larger than the padded input.</summary>
    public static int OutputSize(int size, int kernel, int stride, int pad, int dilation)
    {
        long span = (long)size + 2L * pad - (long)dilation * (kernel - 1) - 1;
        return span < 0 ? 0 : (int)(span / stride + 1);
    }

    /// <summary>
    /// The range <c>[lo, hi)</c> of output positions whose tap at <paramref name="offset"/> (<c>= i·dil − pad</c>) reads
    /// inside <c>[0, size)</c>: position <c>o</c> reads <c>o·stride + offset</c>.
    /// </summary>
    public static (int Lo, int Hi) ValidRange(int outputs, int size, int stride, int offset)
    {
        int lo = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int last = size - 1 - offset; // o·stride ≤ last
        int hi = last < 0 ? 0 : Math.Min(outputs, last / stride + 1);
        return (Math.Min(lo, hi), hi);
    }
}
