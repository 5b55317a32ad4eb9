using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>Matrix transposition of row-major float32 storage, in 8×8 blocks (AVX where supported).</summary>
internal static unsafe class MatrixTranspose
{
    /// <summary>
    /// <c>dst[c, r] = src[r, c]</c>: writes the transpose (<c>cols × rows</c>) of the row-major <c>rows × cols</c> matrix
    /// <paramref name="src"/> into <paramref name="dst"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer holds fewer than <c>rows·cols</c> values.</exception>
    public static void Transpose(ReadOnlySpan<float> src, int rows, int cols, Span<float> dst)
    {
        long length = (long)rows * cols;
        if (src.Length < length || dst.Length < length)
            throw new ArgumentException($"Transpose of a {rows}×{cols} matrix needs {length} values in both buffers; got {src.Length} and {dst.Length}.");
        fixed (float* s = src, d = dst)
        {
            int r8 = Avx.IsSupported ? rows & ~7 : 0, c8 = Avx.IsSupported ? cols & ~7 : 0;
            for (int r = 0; r < r8; r += 8)
                for (int c = 0; c < c8; c += 8)
                    Transpose8x8(s + (long)r * cols + c, cols, d + (long)c * rows + r, rows);
            // Edges: the rows below the blocks, and the columns right of them.
            for (int r = 0; r < rows; r++)
                for (int c = r < r8 ? c8 : 0; c < cols; c++)
                    d[(long)c * rows + r] = s[(long)r * cols + c];
        }
    }

    /// <summary>Writes the transpose of the 8×8 block at <paramref name="src"/> to <paramref name="dst"/> (AVX shuffles; the caller checks <c>Avx.IsSupported</c>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Transpose8x8(float* src, nint lds, float* dst, nint ldd)
    {
        var r0 = Avx.LoadVector256(src);
        var r1 = Avx.LoadVector256(src + lds);
        var r2 = Avx.LoadVector256(src + 2 * lds);
        var r3 = Avx.LoadVector256(src + 3 * lds);
        var r4 = Avx.LoadVector256(src + 4 * lds);
        var r5 = Avx.LoadVector256(src + 5 * lds);
        var r6 = Avx.LoadVector256(src + 6 * lds);
        var r7 = Avx.LoadVector256(src + 7 * lds);
        // Interleave pairs of rows, then pairs of pairs (within 128-bit lanes), then swap lanes.
        var t0 = Avx.UnpackLow(r0, r1); var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3); var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5); var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7); var t7 = Avx.UnpackHigh(r6, r7);
        var s0 = Avx.Shuffle(t0, t2, 0x44); var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44); var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44); var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44); var s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + ldd, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * ldd, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * ldd, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * ldd, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * ldd, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * ldd, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * ldd, Avx.Permute2x128(s3, s7, 0x31));
    }
}
