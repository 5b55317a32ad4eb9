using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The im2col transform that turns a convolution into a matrix product, and its adjoint col2im (Chellapilla,
/// Puri &amp; Simard, "High Performance Convolutional Neural Networks for Document Processing", 2006; Caffe).
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> A batch of images <c>(N, C, H, W)</c> is unrolled into a column matrix of
/// <c>C·kh·kw</c> rows (row <c>(c·kh + i)·kw + j</c> is tap <c>(i, j)</c> of channel <c>c</c>) and
/// <c>N_chunk·H_out·W_out</c> columns (column <c>(n − first)·P + oh·W_out + ow</c>, <c>P = H_out·W_out</c>):
/// images side by side, so that one product <c>W[C_out, C·kh·kw] · col</c> convolves the whole chunk and
/// the channels of a group are a contiguous block of rows. Taps that fall into the padding read 0.</para>
/// <para><b>Threads.</b> Both directions work on a range of images <c>[begin, end)</c> and touch only that range's
/// columns and images, so disjoint ranges can run on different threads with identical results.</para>
/// <para><b>Speed.</b> The work is a copy of many short rows (<c>W_out</c> values), so the inner loops copy with
/// <see cref="Vector{T}"/> loads and stores on unchecked references, after one up-front check of the buffer sizes.</para>
/// </remarks>
internal static class Im2Col
{
    /// <summary>
    /// Writes the columns of images <c>[begin, end)</c> of <paramref name="images"/> (the whole batch, NCHW) into
    /// <paramref name="columns"/> (row stride <paramref name="ld"/>), image <c>n</c> at column <c>(n − first)·P</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is too short for the geometry and image range.</exception>
    public static void Pack(ReadOnlySpan<float> images, in ConvGeometry g, int begin, int end, int first, Span<float> columns, int ld)
    {
        CheckSizes(images.Length, columns.Length, g, begin, end, first, ld);
        int hOut = g.OutputHeight, wOut = g.OutputWidth, plane = hOut * wOut, inPlane = g.InputPlane;
        int w = g.Width, sh = g.StrideHeight, sw = g.StrideWidth;
        ref float imagesRef = ref MemoryMarshal.GetReference(images);
        ref float columnsRef = ref MemoryMarshal.GetReference(columns);
        for (int n = begin; n < end; n++)
        {
            ref float image = ref Unsafe.Add(ref imagesRef, (nint)n * g.ImageLength);
            ref float imageColumns = ref Unsafe.Add(ref columnsRef, (nint)(n - first) * plane);
            if (g.IsPointwise)
            {
                for (int c = 0; c < g.Channels; c++)
                    Copy(ref Unsafe.Add(ref image, (nint)c * inPlane), ref Unsafe.Add(ref imageColumns, (nint)c * ld), plane);
                continue;
            }
            int row = 0;
            for (int c = 0; c < g.Channels; c++)
            {
                ref float channel = ref Unsafe.Add(ref image, (nint)c * inPlane);
                for (int i = 0; i < g.KernelHeight; i++)
                {
                    int rowOffset = i * g.DilationHeight - g.PadHeight;
                    var (ohLo, ohHi) = ConvGeometry.ValidRange(hOut, g.Height, sh, rowOffset);
                    for (int j = 0; j < g.KernelWidth; j++, row++)
                    {
                        int colOffset = j * g.DilationWidth - g.PadWidth;
                        var (owLo, owHi) = ConvGeometry.ValidRange(wOut, w, sw, colOffset);
                        ref float dst = ref Unsafe.Add(ref imageColumns, (nint)row * ld);
                        if (owLo >= owHi)
                        {
                            Zero(ref dst, plane);
                            continue;
                        }
                        Zero(ref dst, ohLo * wOut);
                        Zero(ref Unsafe.Add(ref dst, ohHi * wOut), (hOut - ohHi) * wOut);
                        int count = owHi - owLo;
                        for (int oh = ohLo; oh < ohHi; oh++)
                        {
                            ref float d = ref Unsafe.Add(ref dst, oh * wOut);
                            ref float s = ref Unsafe.Add(ref channel, (oh * sh + rowOffset) * w + owLo * sw + colOffset);
                            for (int ow = 0; ow < owLo; ow++) Unsafe.Add(ref d, ow) = 0f;
                            if (sw == 1) Copy(ref s, ref Unsafe.Add(ref d, owLo), count);
                            else
                                for (int k = 0; k < count; k++) Unsafe.Add(ref d, owLo + k) = Unsafe.Add(ref s, k * sw);
                            for (int ow = owHi; ow < wOut; ow++) Unsafe.Add(ref d, ow) = 0f;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// The adjoint of <see cref="Pack"/> (col2im): overwrites images <c>[begin, end)</c> of <paramref name="images"/>
    /// with the sum, over every column entry, of the entry added to the input position it was read from (padding
    /// taps are dropped). Each image's sums run in a fixed order (channel, tap row, tap column, output row).
    /// </summary>
    /// <exception cref="ArgumentException">A buffer is too short for the geometry and image range.</exception>
    public static void Unpack(ReadOnlySpan<float> columns, int ld, in ConvGeometry g, int begin, int end, int first, Span<float> images)
    {
        CheckSizes(images.Length, columns.Length, g, begin, end, first, ld);
        int hOut = g.OutputHeight, wOut = g.OutputWidth, plane = hOut * wOut, inPlane = g.InputPlane;
        int w = g.Width, sh = g.StrideHeight, sw = g.StrideWidth;
        ref float imagesRef = ref MemoryMarshal.GetReference(images);
        ref float columnsRef = ref MemoryMarshal.GetReference(columns);
        for (int n = begin; n < end; n++)
        {
            ref float image = ref Unsafe.Add(ref imagesRef, (nint)n * g.ImageLength);
            ref float imageColumns = ref Unsafe.Add(ref columnsRef, (nint)(n - first) * plane);
            if (g.IsPointwise)
            {
                for (int c = 0; c < g.Channels; c++)
                    Copy(ref Unsafe.Add(ref imageColumns, (nint)c * ld), ref Unsafe.Add(ref image, (nint)c * inPlane), plane);
                continue;
            }
            Zero(ref image, g.ImageLength);
            int row = 0;
            for (int c = 0; c < g.Channels; c++)
            {
                ref float channel = ref Unsafe.Add(ref image, (nint)c * inPlane);
                for (int i = 0; i < g.KernelHeight; i++)
                {
                    int rowOffset = i * g.DilationHeight - g.PadHeight;
                    var (ohLo, ohHi) = ConvGeometry.ValidRange(hOut, g.Height, sh, rowOffset);
                    for (int j = 0; j < g.KernelWidth; j++, row++)
                    {
                        int colOffset = j * g.DilationWidth - g.PadWidth;
                        var (owLo, owHi) = ConvGeometry.ValidRange(wOut, w, sw, colOffset);
                        int count = owHi - owLo;
                        if (count <= 0) continue;
                        ref float src = ref Unsafe.Add(ref imageColumns, (nint)row * ld);
                        for (int oh = ohLo; oh < ohHi; oh++)
                        {
                            ref float s = ref Unsafe.Add(ref src, oh * wOut + owLo);
                            ref float d = ref Unsafe.Add(ref channel, (oh * sh + rowOffset) * w + owLo * sw + colOffset);
                            if (sw == 1) AddTo(ref s, ref d, count);
                            else
                                for (int k = 0; k < count; k++) Unsafe.Add(ref d, k * sw) += Unsafe.Add(ref s, k);
                        }
                    }
                }
            }
        }
    }

    // dst[0..count) = src[0..count); the buffers do not overlap. The last vector may overlap the previous one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float src, ref float dst, int count)
    {
        int vc = Vector<float>.Count;
        if (count < vc)
        {
            for (int k = 0; k < count; k++) Unsafe.Add(ref dst, k) = Unsafe.Add(ref src, k);
            return;
        }
        int i = 0;
        for (; i <= count - vc; i += vc) Vector.StoreUnsafe(Vector.LoadUnsafe(ref src, (nuint)i), ref dst, (nuint)i);
        if (i < count) Vector.StoreUnsafe(Vector.LoadUnsafe(ref src, (nuint)(count - vc)), ref dst, (nuint)(count - vc));
    }

    // dst[0..count) += src[0..count), element by element in order.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTo(ref float src, ref float dst, int count)
    {
        int vc = Vector<float>.Count, i = 0;
        for (; i <= count - vc; i += vc)
            Vector.StoreUnsafe(Vector.LoadUnsafe(ref dst, (nuint)i) + Vector.LoadUnsafe(ref src, (nuint)i), ref dst, (nuint)i);
        for (; i < count; i++) Unsafe.Add(ref dst, i) += Unsafe.Add(ref src, i);
    }

    private static void Zero(ref float dst, int count)
    {
        if (count > 0) MemoryMarshal.CreateSpan(ref dst, count).Clear();
    }

    private static void CheckSizes(int imagesLength, int columnsLength, in ConvGeometry g, int begin, int end, int first, int ld)
    {
        long plane = (long)g.OutputHeight * g.OutputWidth;
        bool ok = begin >= first && end >= begin && (long)(end - first) * plane <= ld
            && imagesLength >= (long)end * g.ImageLength
            && (end == begin || columnsLength >= (long)(g.ColumnRows - 1) * ld + (end - first) * plane);
        if (!ok)
            throw new ArgumentException($"im2col buffers too short for images [{begin}, {end}) of {g} with row stride {ld}.");
    }
}
