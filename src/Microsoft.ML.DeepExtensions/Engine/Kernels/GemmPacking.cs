using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Copies blocks of <c>op(A)</c> and <c>op(B)</c> into the contiguous, zero-padded micro-panel
/// layouts that <see cref="GemmMicroKernels"/> stream through, for either storage order.
/// </summary>
/// <remarks>
/// Packed A (an <c>mc×kc</c> block): strips of <see cref="GemmMicroKernels.MR"/> rows; strip
/// <c>s</c> starts at <c>s·MR·kc</c> and holds <c>op(A)[s·MR + r, p]</c> at <c>p·MR + r</c>.
/// Packed B (a <c>kc×nc</c> block): panels of <c>nr</c> columns; panel <c>t</c> starts at
/// <c>t·nr·kc</c> and holds <c>op(B)[p, t·nr + j]</c> at <c>p·nr + j</c>. Rows or columns past
/// the matrix edge are zero, so a kernel may always compute a full tile.
/// </remarks>
internal static unsafe class GemmPacking
{
    private const int MR = GemmMicroKernels.MR;

    /// <summary>Packs rows <c>[i0, i0+mc)</c> and columns <c>[p0, p0+kc)</c> of <c>op(A)</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA(bool transA, float* a, int lda, int i0, int p0, int mc, int kc, float* dst)
    {
        for (int ir = 0; ir < mc; ir += MR, dst += MR * kc)
        {
            int rows = Math.Min(MR, mc - ir);
            if (transA)
            {
                // op(A)[i, p] = a[p·lda + i]: each step of k copies up to MR adjacent floats.
                float* src = a + (long)p0 * lda + i0 + ir;
                float* d = dst;
                if (rows == MR)
                {
                    for (int p = 0; p < kc; p++, src += lda, d += MR)
                    {
                        d[0] = src[0]; d[1] = src[1]; d[2] = src[2];
                        d[3] = src[3]; d[4] = src[4]; d[5] = src[5];
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += lda, d += MR)
                    {
                        int r = 0;
                        for (; r < rows; r++) d[r] = src[r];
                        for (; r < MR; r++) d[r] = 0f;
                    }
                }
            }
            else
            {
                // op(A)[i, p] = a[i·lda + p]: MR row streams interleaved.
                float* src = a + (long)(i0 + ir) * lda + p0;
                if (rows == MR)
                {
                    float* r0 = src, r1 = src + lda, r2 = r1 + lda, r3 = r2 + lda, r4 = r3 + lda, r5 = r4 + lda;
                    float* d = dst;
                    for (int p = 0; p < kc; p++, d += MR)
                    {
                        d[0] = r0[p]; d[1] = r1[p]; d[2] = r2[p];
                        d[3] = r3[p]; d[4] = r4[p]; d[5] = r5[p];
                    }
                }
                else
                {
                    for (int r = 0; r < MR; r++)
                    {
                        float* row = src + (long)r * lda;
                        float* d = dst + r;
                        if (r < rows) for (int p = 0; p < kc; p++) d[p * MR] = row[p];
                        else for (int p = 0; p < kc; p++) d[p * MR] = 0f;
                    }
                }
            }
        }
    }

    /// <summary>
    /// Packs rows <c>[p0, p0+kc)</c> and columns <c>[j0, j0+nc)</c> of <c>op(B)</c> in panels <paramref name="nr"/> wide;
    /// a last panel of at most <c>nr/2</c> columns is packed <c>nr/2</c> wide (for the half-width kernels).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB(bool transB, float* b, int ldb, int p0, int j0, int kc, int nc, int nr, float* dst)
    {
        for (int jr = 0; jr < nc; jr += nr, dst += nr * kc)
        {
            int cols = Math.Min(nr, nc - jr);
            int width = cols <= nr / 2 ? nr / 2 : nr; // a narrow last panel is packed half-width
            if (transB)
            {
                // op(B)[p, j] = b[j·ldb + p]: each stored row becomes one column of the panel.
                float* src = b + (long)(j0 + jr) * ldb + p0;
                int j = 0;
                if (Avx.IsSupported)
                {
                    int kc8 = kc & ~7;
                    for (; j + 8 <= cols; j += 8)
                    {
                        for (int p = 0; p < kc8; p += 8)
                            MatrixTranspose.Transpose8x8(src + (long)j * ldb + p, ldb, dst + (long)p * width + j, width);
                        for (int p = kc8; p < kc; p++)
                            for (int q = 0; q < 8; q++) dst[p * width + j + q] = src[(long)(j + q) * ldb + p];
                    }
                }
                for (; j < width; j++)
                {
                    float* d = dst + j;
                    if (j < cols)
                    {
                        float* row = src + (long)j * ldb;
                        for (int p = 0; p < kc; p++) d[p * width] = row[p];
                    }
                    else
                    {
                        for (int p = 0; p < kc; p++) d[p * width] = 0f;
                    }
                }
            }
            else
            {
                // op(B)[p, j] = b[p·ldb + j]: each step of k copies one row segment.
                float* src = b + (long)p0 * ldb + j0 + jr;
                float* d = dst;
                if (cols == width)
                {
                    for (int p = 0; p < kc; p++, src += ldb, d += width) CopyPanelRow(src, d, width);
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += ldb, d += width)
                    {
                        int j = 0;
                        for (; j < cols; j++) d[j] = src[j];
                        for (; j < width; j++) d[j] = 0f;
                    }
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyPanelRow(float* src, float* dst, int nr)
    {
        if (nr == 32)
        {
            Vector512.Load(src).Store(dst);
            Vector512.Load(src + 16).Store(dst + 16);
        }
        else if (nr == 16)
        {
            Vector256.Load(src).Store(dst);
            Vector256.Load(src + 8).Store(dst + 8);
        }
        else
        {
            for (int j = 0; j < nr; j += 4) Vector128.Load(src + j).Store(dst + j);
        }
    }
}
