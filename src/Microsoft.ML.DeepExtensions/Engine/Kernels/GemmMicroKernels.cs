using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The register-blocked inner kernels of <see cref="Gemm"/>: each computes one
/// <c>MR×NR</c> tile <c>C = alpha·(Ã·B̃) + beta·C</c> from a packed A micro-panel <c>Ã</c>
/// (<c>kc×MR</c>, MR values per step of k) and a packed B micro-panel <c>B̃</c> (<c>kc×NR</c>,
/// NR values per step of k), holding the whole tile in vector registers.
/// </summary>
/// <remarks>
/// A is read at <c>a[r·rsA + p·csA]</c> for row <c>r &lt; mr</c> and step <c>p</c>: packed
/// (<c>rsA = 1, csA = MR</c>) or straight from row-major storage (<c>rsA = lda, csA = 1</c>, or
/// <c>rsA = 1, csA = lda</c> when transposed), which spares packing A when it is used only a
/// few times. B is always packed.
/// One kernel per vector width: 6×(2·Vector512) = 6×32 on AVX-512, 6×(2·Vector256) = 6×16 on
/// AVX2, 6×(2·Vector128) = 6×8 elsewhere (SSE, Arm AdvSIMD). Each tile element is one chain of
/// fused multiply-adds in increasing k, so its value does not depend on where the tile lies or on
/// which thread runs it. With <c>beta = 0</c> C is written without being read.
/// </remarks>
internal static unsafe partial class GemmMicroKernels
{
    /// <summary>Rows of a micro-tile (all widths).</summary>
    public const int MR = 6;

    /// <summary>
    /// Offsets of A's rows 1..5 from row 0 (<c>r·rsA</c>); rows at or past <paramref name="mr"/> repeat the
    /// last valid row, so a partial strip never reads outside A (those tile rows are discarded).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowOffsets(nint rsA, int mr, out nint o1, out nint o2, out nint o3, out nint o4, out nint o5)
    {
        nint last = mr - 1;
        o1 = Math.Min(1, last) * rsA;
        o2 = Math.Min(2, last) * rsA;
        o3 = Math.Min(3, last) * rsA;
        o4 = Math.Min(4, last) * rsA;
        o5 = Math.Min(5, last) * rsA;
    }

    /// <summary>6×32 tile with Vector512 (12 accumulators).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel512(int kc, float* a, nint rsA, nint csA, int mr, float* b, float* c, int ldc, float alpha, float beta)
    {
        RowOffsets(rsA, mr, out nint o1, out nint o2, out nint o3, out nint o4, out nint o5);
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var ai = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(ai, b0, c00); c01 = Vector512.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector512.Create(a[o1]);
            c10 = Vector512.FusedMultiplyAdd(ai, b0, c10); c11 = Vector512.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector512.Create(a[o2]);
            c20 = Vector512.FusedMultiplyAdd(ai, b0, c20); c21 = Vector512.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector512.Create(a[o3]);
            c30 = Vector512.FusedMultiplyAdd(ai, b0, c30); c31 = Vector512.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector512.Create(a[o4]);
            c40 = Vector512.FusedMultiplyAdd(ai, b0, c40); c41 = Vector512.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector512.Create(a[o5]);
            c50 = Vector512.FusedMultiplyAdd(ai, b0, c50); c51 = Vector512.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b += 32;
        }
        var va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            (c00 * va).Store(c); (c01 * va).Store(c + 16); c += ldc;
            (c10 * va).Store(c); (c11 * va).Store(c + 16); c += ldc;
            (c20 * va).Store(c); (c21 * va).Store(c + 16); c += ldc;
            (c30 * va).Store(c); (c31 * va).Store(c + 16); c += ldc;
            (c40 * va).Store(c); (c41 * va).Store(c + 16); c += ldc;
            (c50 * va).Store(c); (c51 * va).Store(c + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Update(c, c00, c01, va, vb); c += ldc;
            Update(c, c10, c11, va, vb); c += ldc;
            Update(c, c20, c21, va, vb); c += ldc;
            Update(c, c30, c31, va, vb); c += ldc;
            Update(c, c40, c41, va, vb); c += ldc;
            Update(c, c50, c51, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector512<float> x0, Vector512<float> x1, Vector512<float> va, Vector512<float> vb)
    {
        Vector512.FusedMultiplyAdd(x0, va, Vector512.Load(c) * vb).Store(c);
        Vector512.FusedMultiplyAdd(x1, va, Vector512.Load(c + 16) * vb).Store(c + 16);
    }

    /// <summary>6×16 tile with Vector256 (12 accumulators; fits the 16 registers of AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel256(int kc, float* a, nint rsA, nint csA, int mr, float* b, float* c, int ldc, float alpha, float beta)
    {
        RowOffsets(rsA, mr, out nint o1, out nint o2, out nint o3, out nint o4, out nint o5);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var ai = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(ai, b0, c00); c01 = Vector256.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector256.Create(a[o1]);
            c10 = Vector256.FusedMultiplyAdd(ai, b0, c10); c11 = Vector256.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector256.Create(a[o2]);
            c20 = Vector256.FusedMultiplyAdd(ai, b0, c20); c21 = Vector256.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector256.Create(a[o3]);
            c30 = Vector256.FusedMultiplyAdd(ai, b0, c30); c31 = Vector256.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector256.Create(a[o4]);
            c40 = Vector256.FusedMultiplyAdd(ai, b0, c40); c41 = Vector256.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector256.Create(a[o5]);
            c50 = Vector256.FusedMultiplyAdd(ai, b0, c50); c51 = Vector256.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b += 16;
        }
        var va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            (c00 * va).Store(c); (c01 * va).Store(c + 8); c += ldc;
            (c10 * va).Store(c); (c11 * va).Store(c + 8); c += ldc;
            (c20 * va).Store(c); (c21 * va).Store(c + 8); c += ldc;
            (c30 * va).Store(c); (c31 * va).Store(c + 8); c += ldc;
            (c40 * va).Store(c); (c41 * va).Store(c + 8); c += ldc;
            (c50 * va).Store(c); (c51 * va).Store(c + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Update(c, c00, c01, va, vb); c += ldc;
            Update(c, c10, c11, va, vb); c += ldc;
            Update(c, c20, c21, va, vb); c += ldc;
            Update(c, c30, c31, va, vb); c += ldc;
            Update(c, c40, c41, va, vb); c += ldc;
            Update(c, c50, c51, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector256<float> x0, Vector256<float> x1, Vector256<float> va, Vector256<float> vb)
    {
        Vector256.FusedMultiplyAdd(x0, va, Vector256.Load(c) * vb).Store(c);
        Vector256.FusedMultiplyAdd(x1, va, Vector256.Load(c + 8) * vb).Store(c + 8);
    }

    /// <summary>6×8 tile with Vector128 (12 accumulators; SSE and Arm AdvSIMD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel128(int kc, float* a, nint rsA, nint csA, int mr, float* b, float* c, int ldc, float alpha, float beta)
    {
        RowOffsets(rsA, mr, out nint o1, out nint o2, out nint o3, out nint o4, out nint o5);
        Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            var b1 = Vector128.Load(b + 4);
            var ai = Vector128.Create(a[0]);
            c00 = Vector128.FusedMultiplyAdd(ai, b0, c00); c01 = Vector128.FusedMultiplyAdd(ai, b1, c01);
            ai = Vector128.Create(a[o1]);
            c10 = Vector128.FusedMultiplyAdd(ai, b0, c10); c11 = Vector128.FusedMultiplyAdd(ai, b1, c11);
            ai = Vector128.Create(a[o2]);
            c20 = Vector128.FusedMultiplyAdd(ai, b0, c20); c21 = Vector128.FusedMultiplyAdd(ai, b1, c21);
            ai = Vector128.Create(a[o3]);
            c30 = Vector128.FusedMultiplyAdd(ai, b0, c30); c31 = Vector128.FusedMultiplyAdd(ai, b1, c31);
            ai = Vector128.Create(a[o4]);
            c40 = Vector128.FusedMultiplyAdd(ai, b0, c40); c41 = Vector128.FusedMultiplyAdd(ai, b1, c41);
            ai = Vector128.Create(a[o5]);
            c50 = Vector128.FusedMultiplyAdd(ai, b0, c50); c51 = Vector128.FusedMultiplyAdd(ai, b1, c51);
            a += csA;
            b += 8;
        }
        var va = Vector128.Create(alpha);
        if (beta == 0f)
        {
            (c00 * va).Store(c); (c01 * va).Store(c + 4); c += ldc;
            (c10 * va).Store(c); (c11 * va).Store(c + 4); c += ldc;
            (c20 * va).Store(c); (c21 * va).Store(c + 4); c += ldc;
            (c30 * va).Store(c); (c31 * va).Store(c + 4); c += ldc;
            (c40 * va).Store(c); (c41 * va).Store(c + 4); c += ldc;
            (c50 * va).Store(c); (c51 * va).Store(c + 4);
        }
        else
        {
            var vb = Vector128.Create(beta);
            Update(c, c00, c01, va, vb); c += ldc;
            Update(c, c10, c11, va, vb); c += ldc;
            Update(c, c20, c21, va, vb); c += ldc;
            Update(c, c30, c31, va, vb); c += ldc;
            Update(c, c40, c41, va, vb); c += ldc;
            Update(c, c50, c51, va, vb);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Update(float* c, Vector128<float> x0, Vector128<float> x1, Vector128<float> va, Vector128<float> vb)
    {
        Vector128.FusedMultiplyAdd(x0, va, Vector128.Load(c) * vb).Store(c);
        Vector128.FusedMultiplyAdd(x1, va, Vector128.Load(c + 4) * vb).Store(c + 4);
    }
}
