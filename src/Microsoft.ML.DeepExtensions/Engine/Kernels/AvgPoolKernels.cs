using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Average pooling (windowed and global) over the planes of an NCHW batch and the backward passes, with PyTorch
/// 1.13's CPU semantics. A plane is one channel of one image (plane <c>p = n·C + c</c>); every function works on a
/// range of planes <c>[begin, end)</c> and touches only those planes, so disjoint ranges can run on different
/// threads with identical results.
/// </summary>
/// <remarks>
/// Windows use the geometry's kernel, stride and padding (dilation 1, <c>ceil_mode</c> off); the geometry's channel
/// count is ignored.
/// </remarks>
internal static class AvgPoolKernels
{
    /// <summary>
    /// Average pooling: the window sum divided by the window size counting padding (<paramref name="countIncludePad"/>,
    /// PyTorch's default) or by the number of values inside the image.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, in ConvGeometry g, bool countIncludePad, int begin, int end, Span<float> y)
    {
        int h = g.Height, w = g.Width, hOut = g.OutputHeight, wOut = g.OutputWidth, inPlane = h * w, plane = hOut * wOut;
        for (int p = begin; p < end; p++)
        {
            ReadOnlySpan<float> xs = x.Slice(p * inPlane, inPlane);
            Span<float> ys = y.Slice(p * plane, plane);
            for (int oh = 0; oh < hOut; oh++)
                for (int ow = 0; ow < wOut; ow++)
                {
                    var (hs, he, ws, we, divisor) = AvgWindow(g, oh, ow, countIncludePad);
                    float sum = 0f;
                    for (int ih = hs; ih < he; ih++)
                        for (int iw = ws; iw < we; iw++)
                            sum += xs[ih * w + iw];
                    ys[oh * wOut + ow] = divisor == 0 ? 0f : sum / divisor;
                }
        }
    }

    /// <summary>Backward of average pooling: each plane of <paramref name="dx"/> is zeroed, then every output gradient divided by its window's divisor is added to the window's inputs.</summary>
    public static void Backward(ReadOnlySpan<float> dy, in ConvGeometry g, bool countIncludePad, int begin, int end, Span<float> dx)
    {
        int w = g.Width, hOut = g.OutputHeight, wOut = g.OutputWidth, inPlane = g.InputPlane, plane = hOut * wOut;
        for (int p = begin; p < end; p++)
        {
            Span<float> ds = dx.Slice(p * inPlane, inPlane);
            ReadOnlySpan<float> gs = dy.Slice(p * plane, plane);
            ds.Clear();
            for (int oh = 0; oh < hOut; oh++)
                for (int ow = 0; ow < wOut; ow++)
                {
                    var (hs, he, ws, we, divisor) = AvgWindow(g, oh, ow, countIncludePad);
                    if (divisor == 0) continue;
                    float v = gs[oh * wOut + ow] / divisor;
                    for (int ih = hs; ih < he; ih++)
                        for (int iw = ws; iw < we; iw++)
                            ds[ih * w + iw] += v;
                }
        }
    }

    // PyTorch's window: the divisor with padding counts the window clipped to the padded image.
    private static (int Hs, int He, int Ws, int We, int Divisor) AvgWindow(in ConvGeometry g, int oh, int ow, bool countIncludePad)
    {
        int hs = oh * g.StrideHeight - g.PadHeight, ws = ow * g.StrideWidth - g.PadWidth;
        int he = Math.Min(hs + g.KernelHeight, g.Height + g.PadHeight), we = Math.Min(ws + g.KernelWidth, g.Width + g.PadWidth);
        int padded = (he - hs) * (we - ws);
        hs = Math.Max(hs, 0);
        ws = Math.Max(ws, 0);
        he = Math.Min(he, g.Height);
        we = Math.Min(we, g.Width);
        if (hs >= he || ws >= we) return (hs, hs, ws, ws, 0);
        return (hs, he, ws, we, countIncludePad ? padded : (he - hs) * (we - ws));
    }

    /// <summary>Global average pooling: <c>y[p] = mean of plane p</c>.</summary>
    public static void GlobalForward(ReadOnlySpan<float> x, int inPlane, int begin, int end, Span<float> y)
    {
        for (int p = begin; p < end; p++)
            y[p] = TensorPrimitives.Sum(x.Slice(p * inPlane, inPlane)) / inPlane;
    }

    /// <summary>Backward of global average pooling: every value of plane p gets <c>dy[p] / (H·W)</c>.</summary>
    public static void GlobalBackward(ReadOnlySpan<float> dy, int inPlane, int begin, int end, Span<float> dx)
    {
        for (int p = begin; p < end; p++)
            dx.Slice(p * inPlane, inPlane).Fill(dy[p] / inPlane);
    }
}
