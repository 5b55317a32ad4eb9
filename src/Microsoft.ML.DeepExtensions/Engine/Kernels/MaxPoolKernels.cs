using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Max pooling over the planes of an NCHW batch and its backward pass, with PyTorch 1.13's CPU semantics. A plane is
/// one channel of one image (plane <c>p = n·C + c</c>); every function works on a range of planes <c>[begin, end)</c>
/// and touches only those planes, so disjoint ranges can run on different threads with identical results.
/// </summary>
/// <remarks>
/// Windows use the geometry's kernel, stride and padding (dilation 1, <c>ceil_mode</c> off); the geometry's channel
/// count is ignored. Window <c>(oh, ow)</c> covers input rows <c>[oh·s_h − p_h, oh·s_h − p_h + kh)</c> clipped to the
/// image, and likewise for columns.
/// </remarks>
internal static class MaxPoolKernels
{
    /// <summary>
    /// Max pooling: <c>y</c> = the largest value of each window, <c>argmax</c> = its index within the input plane.
    /// Ties go to the first maximum in row-major window order; a NaN wins over every number (and a later NaN over
    /// an earlier one), as in PyTorch. Padding never wins.
    /// </summary>
    public static void Forward(ReadOnlySpan<float> x, in ConvGeometry g, int begin, int end, Span<float> y, Span<int> argmax)
    {
        int h = g.Height, w = g.Width, hOut = g.OutputHeight, wOut = g.OutputWidth, inPlane = h * w, plane = hOut * wOut;
        bool twoByTwo = g.KernelHeight == 2 && g.KernelWidth == 2 && g.StrideHeight == 2 && g.StrideWidth == 2 && g.PadHeight == 0 && g.PadWidth == 0;
        for (int p = begin; p < end; p++)
        {
            ReadOnlySpan<float> xs = x.Slice(p * inPlane, inPlane);
            Span<float> ys = y.Slice(p * plane, plane);
            Span<int> idx = argmax.Slice(p * plane, plane);
            if (twoByTwo)
            {
                MaxTwoByTwo(xs, w, hOut, wOut, ys, idx);
                continue;
            }
            MaxGeneral(xs, g, ys, idx);
        }
    }

    // Any window. Outputs whose window lies inside the image horizontally ("interior" columns) go 8 at a time with
    // Vector256 for strides 1 and 2 (taps visited in the scalar order, so ties and NaNs resolve identically); the
    // others one by one.
    private static void MaxGeneral(ReadOnlySpan<float> xs, in ConvGeometry g, Span<float> ys, Span<int> idx)
    {
        int h = g.Height, w = g.Width, hOut = g.OutputHeight, wOut = g.OutputWidth, sw = g.StrideWidth, pw = g.PadWidth, kw = g.KernelWidth;
        if (xs.Length < h * w || ys.Length < hOut * wOut || idx.Length < hOut * wOut)
            throw new ArgumentException("Max-pooling buffers too short.");
        ref float x0 = ref MemoryMarshal.GetReference(xs);
        int inner0 = Math.Min((pw + sw - 1) / sw, wOut);
        int inner1 = w - kw + pw >= 0 ? Math.Min((w - kw + pw) / sw + 1, wOut) : 0;
        inner0 = Math.Min(inner0, inner1);
        bool vector = Vector256.IsHardwareAccelerated && sw <= 2 && inner1 - inner0 >= 8;
        for (int oh = 0; oh < hOut; oh++)
        {
            int hs = oh * g.StrideHeight - g.PadHeight, he = Math.Min(hs + g.KernelHeight, h);
            hs = Math.Max(hs, 0);
            int ow = 0;
            if (vector)
            {
                for (; ow < inner0; ow++) MaxWindow(ref x0, g, hs, he, oh, ow, ys, idx);
                for (; ow < inner1; ow += 8)
                {
                    int o = Math.Min(ow, inner1 - 8);
                    // Stride 2 loads 16 values from the last tap of the last row: they must stay inside the plane.
                    if (sw == 2 && (he - 1) * w + 2 * o - pw + kw - 1 + 16 > h * w)
                        for (int k = o; k < o + 8; k++) MaxWindow(ref x0, g, hs, he, oh, k, ys, idx);
                    else MaxWindow8(ref x0, g, hs, he, oh, o, ref ys[oh * wOut], ref idx[oh * wOut]);
                }
                ow = inner1;
            }
            for (; ow < wOut; ow++) MaxWindow(ref x0, g, hs, he, oh, ow, ys, idx);
        }
    }

    private static void MaxWindow(ref float x0, in ConvGeometry g, int hs, int he, int oh, int ow, Span<float> ys, Span<int> idx)
    {
        int w = g.Width;
        int ws = ow * g.StrideWidth - g.PadWidth, we = Math.Min(ws + g.KernelWidth, w);
        ws = Math.Max(ws, 0);
        float best = float.NegativeInfinity;
        int bestIndex = hs * w + ws;
        for (int ih = hs; ih < he; ih++)
        {
            ref float row = ref Unsafe.Add(ref x0, ih * w); // 0 ≤ hs ≤ ih < he ≤ H and 0 ≤ ws ≤ iw < we ≤ W: inside the plane
            for (int iw = ws; iw < we; iw++)
            {
                float v = Unsafe.Add(ref row, iw);
                bool take = v > best || float.IsNaN(v); // branch-free selects: the winner is data-dependent
                bestIndex = take ? ih * w + iw : bestIndex;
                best = take ? v : best;
            }
        }
        ys[oh * g.OutputWidth + ow] = best;
        idx[oh * g.OutputWidth + ow] = bestIndex;
    }

    // Outputs ow .. ow + 7 of row oh, all interior (their windows start at column ow·s − p ≥ 0 and end inside W).
    private static void MaxWindow8(ref float x0, in ConvGeometry g, int hs, int he, int oh, int ow, ref float yr, ref int ir)
    {
        int w = g.Width, sw = g.StrideWidth;
        var columns = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7) * sw + Vector256.Create(ow * sw - g.PadWidth);
        var best = Vector256.Create(float.NegativeInfinity);
        var at = columns + Vector256.Create(hs * w);
        for (int ih = hs; ih < he; ih++)
        {
            for (int j = 0; j < g.KernelWidth; j++)
            {
                int start = ih * w + ow * sw - g.PadWidth + j;
                var v = sw == 1
                    ? Vector256.LoadUnsafe(ref x0, (nuint)start)
                    : EvenOdd(Vector256.LoadUnsafe(ref x0, (nuint)start), Vector256.LoadUnsafe(ref x0, (nuint)(start + 8))).Even;
                var take = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
                best = Vector256.ConditionalSelect(take, v, best);
                at = Vector256.ConditionalSelect(take.AsInt32(), columns + Vector256.Create(ih * w + j), at);
            }
        }
        best.StoreUnsafe(ref yr, (nuint)ow);
        at.StoreUnsafe(ref ir, (nuint)ow);
    }

    // The common 2×2 / stride 2 window, with PyTorch's rule (a later value wins when greater, or when NaN). With
    // Vector256 hardware, 8 (or 4) outputs at a time from the even and odd columns of the two input rows; the last
    // vector of a row overlaps the previous one (recomputing the same outputs) instead of a scalar tail.
    private static void MaxTwoByTwo(ReadOnlySpan<float> xs, int w, int hOut, int wOut, Span<float> ys, Span<int> idx)
    {
        if (xs.Length < 2 * hOut * w || (hOut > 0 && 2 * wOut > w) || ys.Length < hOut * wOut || idx.Length < hOut * wOut)
            throw new ArgumentException("Max-pooling buffers too short.");
        ref float x0 = ref MemoryMarshal.GetReference(xs);
        ref float y0 = ref MemoryMarshal.GetReference(ys);
        ref int i0 = ref MemoryMarshal.GetReference(idx);
        int width = !Vector256.IsHardwareAccelerated ? 1 : wOut >= 8 ? 8 : wOut >= 4 ? 4 : 1;
        for (int oh = 0; oh < hOut; oh++)
        {
            int top = 2 * oh * w;
            ref float r0 = ref Unsafe.Add(ref x0, top);
            ref float r1 = ref Unsafe.Add(ref x0, top + w);
            ref float yr = ref Unsafe.Add(ref y0, oh * wOut);
            ref int ir = ref Unsafe.Add(ref i0, oh * wOut);
            if (width == 1)
            {
                for (int ow = 0; ow < wOut; ow++) MaxTwoByTwoScalar(ref r0, ref r1, top, w, ow, ref yr, ref ir);
                continue;
            }
            for (int ow = 0; ow < wOut; ow += width)
            {
                int o = Math.Min(ow, wOut - width);
                if (width == 8) MaxTwoByTwo8(ref r0, ref r1, top, w, o, ref yr, ref ir);
                else MaxTwoByTwo4(ref r0, ref r1, top, w, o, ref yr, ref ir);
            }
        }
    }

    private static void MaxTwoByTwoScalar(ref float r0, ref float r1, int top, int w, int ow, ref float yr, ref int ir)
    {
        int iw = 2 * ow;
        float best = Unsafe.Add(ref r0, iw);
        int at = top + iw;
        float v = Unsafe.Add(ref r0, iw + 1);
        if (v > best || float.IsNaN(v)) { best = v; at = top + iw + 1; }
        v = Unsafe.Add(ref r1, iw);
        if (v > best || float.IsNaN(v)) { best = v; at = top + w + iw; }
        v = Unsafe.Add(ref r1, iw + 1);
        if (v > best || float.IsNaN(v)) { best = v; at = top + w + iw + 1; }
        Unsafe.Add(ref yr, ow) = best;
        Unsafe.Add(ref ir, ow) = at;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxTwoByTwo8(ref float r0, ref float r1, int top, int w, int ow, ref float yr, ref int ir)
    {
        var (a, b) = EvenOdd(Vector256.LoadUnsafe(ref r0, (nuint)(2 * ow)), Vector256.LoadUnsafe(ref r0, (nuint)(2 * ow + 8)));
        var (c, d) = EvenOdd(Vector256.LoadUnsafe(ref r1, (nuint)(2 * ow)), Vector256.LoadUnsafe(ref r1, (nuint)(2 * ow + 8)));
        var best = a;
        var at = Vector256<int>.Zero;
        Take(ref best, ref at, b, 1);
        Take(ref best, ref at, c, w);
        Take(ref best, ref at, d, w + 1);
        best.StoreUnsafe(ref yr, (nuint)ow);
        (at + Vector256.Create(0, 2, 4, 6, 8, 10, 12, 14) + Vector256.Create(top + 2 * ow)).StoreUnsafe(ref ir, (nuint)ow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxTwoByTwo4(ref float r0, ref float r1, int top, int w, int ow, ref float yr, ref int ir)
    {
        var pattern = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        var p0 = Vector256.Shuffle(Vector256.LoadUnsafe(ref r0, (nuint)(2 * ow)), pattern);
        var p1 = Vector256.Shuffle(Vector256.LoadUnsafe(ref r1, (nuint)(2 * ow)), pattern);
        var best = p0.GetLower();
        var at = Vector128<int>.Zero;
        Take(ref best, ref at, p0.GetUpper(), 1);
        Take(ref best, ref at, p1.GetLower(), w);
        Take(ref best, ref at, p1.GetUpper(), w + 1);
        best.StoreUnsafe(ref yr, (nuint)ow);
        (at + Vector128.Create(0, 2, 4, 6) + Vector128.Create(top + 2 * ow)).StoreUnsafe(ref ir, (nuint)ow);
    }

    // The even- and odd-indexed values of the 16 floats lo, hi.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<float> Even, Vector256<float> Odd) EvenOdd(Vector256<float> lo, Vector256<float> hi)
    {
        var pattern = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        lo = Vector256.Shuffle(lo, pattern);
        hi = Vector256.Shuffle(hi, pattern);
        return (Vector256.Create(lo.GetLower(), hi.GetLower()), Vector256.Create(lo.GetUpper(), hi.GetUpper()));
    }

    // Where v > best or v is NaN: best = v, at = offset.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector256<float> best, ref Vector256<int> at, Vector256<float> v, int offset)
    {
        var take = Vector256.GreaterThan(v, best) | ~Vector256.Equals(v, v);
        best = Vector256.ConditionalSelect(take, v, best);
        at = Vector256.ConditionalSelect(take.AsInt32(), Vector256.Create(offset), at);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Take(ref Vector128<float> best, ref Vector128<int> at, Vector128<float> v, int offset)
    {
        var take = Vector128.GreaterThan(v, best) | ~Vector128.Equals(v, v);
        best = Vector128.ConditionalSelect(take, v, best);
        at = Vector128.ConditionalSelect(take.AsInt32(), Vector128.Create(offset), at);
    }

    /// <summary>Backward of max pooling: each plane of <paramref name="dx"/> is zeroed, then every output gradient is added at its argmax (in output order).</summary>
    public static void Backward(ReadOnlySpan<float> dy, ReadOnlySpan<int> argmax, in ConvGeometry g, int begin, int end, Span<float> dx)
    {
        int inPlane = g.InputPlane, plane = g.OutputPlane;
        for (int p = begin; p < end; p++)
        {
            Span<float> ds = dx.Slice(p * inPlane, inPlane);
            ReadOnlySpan<float> gs = dy.Slice(p * plane, plane);
            ReadOnlySpan<int> idx = argmax.Slice(p * plane, plane);
            ds.Clear();
            for (int o = 0; o < plane; o++) ds[idx[o]] += gs[o];
        }
    }
}
