using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Half-width variants of the micro-kernels (one vector per row, <c>MR×NR/2</c>): used for the last
/// B panel when at most NR/2 columns of C remain, e.g. a 10-class output layer, so the kernel does
/// not spend two vectors on a few columns. Same arithmetic per element as the full kernels.
/// </summary>
internal static unsafe partial class GemmMicroKernels
{
    /// <summary>6×16 tile with one Vector512 per row (6 accumulators), for the last panel of a narrow C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel512Half(int kc, float* a, nint rsA, nint csA, int mr, float* b, float* c, int ldc, float alpha, float beta)
    {
        RowOffsets(rsA, mr, out nint o1, out nint o2, out nint o3, out nint o4, out nint o5);
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[o5]), b0, c5);
            a += csA;
            b += 16;
        }
        var va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            (c0 * va).Store(c); (c1 * va).Store(c + ldc); (c2 * va).Store(c + 2 * ldc);
            c += 3 * ldc;
            (c3 * va).Store(c); (c4 * va).Store(c + ldc); (c5 * va).Store(c + 2 * ldc);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Vector512.FusedMultiplyAdd(c0, va, Vector512.Load(c) * vb).Store(c); c += ldc;
            Vector512.FusedMultiplyAdd(c1, va, Vector512.Load(c) * vb).Store(c); c += ldc;
            Vector512.FusedMultiplyAdd(c2, va, Vector512.Load(c) * vb).Store(c); c += ldc;
            Vector512.FusedMultiplyAdd(c3, va, Vector512.Load(c) * vb).Store(c); c += ldc;
            Vector512.FusedMultiplyAdd(c4, va, Vector512.Load(c) * vb).Store(c); c += ldc;
            Vector512.FusedMultiplyAdd(c5, va, Vector512.Load(c) * vb).Store(c);
        }
    }

    /// <summary>6×8 tile with one Vector256 per row (6 accumulators), for the last panel of a narrow C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel256Half(int kc, float* a, nint rsA, nint csA, int mr, float* b, float* c, int ldc, float alpha, float beta)
    {
        RowOffsets(rsA, mr, out nint o1, out nint o2, out nint o3, out nint o4, out nint o5);
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(a[0]), b0, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o1]), b0, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o2]), b0, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o3]), b0, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o4]), b0, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(a[o5]), b0, c5);
            a += csA;
            b += 8;
        }
        var va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            (c0 * va).Store(c); (c1 * va).Store(c + ldc); (c2 * va).Store(c + 2 * ldc);
            c += 3 * ldc;
            (c3 * va).Store(c); (c4 * va).Store(c + ldc); (c5 * va).Store(c + 2 * ldc);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Vector256.FusedMultiplyAdd(c0, va, Vector256.Load(c) * vb).Store(c); c += ldc;
            Vector256.FusedMultiplyAdd(c1, va, Vector256.Load(c) * vb).Store(c); c += ldc;
            Vector256.FusedMultiplyAdd(c2, va, Vector256.Load(c) * vb).Store(c); c += ldc;
            Vector256.FusedMultiplyAdd(c3, va, Vector256.Load(c) * vb).Store(c); c += ldc;
            Vector256.FusedMultiplyAdd(c4, va, Vector256.Load(c) * vb).Store(c); c += ldc;
            Vector256.FusedMultiplyAdd(c5, va, Vector256.Load(c) * vb).Store(c);
        }
    }

    /// <summary>6×4 tile with one Vector128 per row (6 accumulators), for the last panel of a narrow C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel128Half(int kc, float* a, nint rsA, nint csA, int mr, float* b, float* c, int ldc, float alpha, float beta)
    {
        RowOffsets(rsA, mr, out nint o1, out nint o2, out nint o3, out nint o4, out nint o5);
        Vector128<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector128.Load(b);
            c0 = Vector128.FusedMultiplyAdd(Vector128.Create(a[0]), b0, c0);
            c1 = Vector128.FusedMultiplyAdd(Vector128.Create(a[o1]), b0, c1);
            c2 = Vector128.FusedMultiplyAdd(Vector128.Create(a[o2]), b0, c2);
            c3 = Vector128.FusedMultiplyAdd(Vector128.Create(a[o3]), b0, c3);
            c4 = Vector128.FusedMultiplyAdd(Vector128.Create(a[o4]), b0, c4);
            c5 = Vector128.FusedMultiplyAdd(Vector128.Create(a[o5]), b0, c5);
            a += csA;
            b += 4;
        }
        var va = Vector128.Create(alpha);
        if (beta == 0f)
        {
            (c0 * va).Store(c); (c1 * va).Store(c + ldc); (c2 * va).Store(c + 2 * ldc);
            c += 3 * ldc;
            (c3 * va).Store(c); (c4 * va).Store(c + ldc); (c5 * va).Store(c + 2 * ldc);
        }
        else
        {
            var vb = Vector128.Create(beta);
            Vector128.FusedMultiplyAdd(c0, va, Vector128.Load(c) * vb).Store(c); c += ldc;
            Vector128.FusedMultiplyAdd(c1, va, Vector128.Load(c) * vb).Store(c); c += ldc;
            Vector128.FusedMultiplyAdd(c2, va, Vector128.Load(c) * vb).Store(c); c += ldc;
            Vector128.FusedMultiplyAdd(c3, va, Vector128.Load(c) * vb).Store(c); c += ldc;
            Vector128.FusedMultiplyAdd(c4, va, Vector128.Load(c) * vb).Store(c); c += ldc;
            Vector128.FusedMultiplyAdd(c5, va, Vector128.Load(c) * vb).Store(c);
        }
    }
}
