using System.Numerics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The path of <see cref="Gemm"/> for a few rows of C and an untransposed B (<c>C[i, :] = Σ_p A[i, p]·B[p, :]</c>), the
/// shape of a recurrent step or a layer scoring one example: B is read in place, row by row, instead of being packed,
/// because packing would touch every element of B once for at most <see cref="MaxRows"/> uses.
/// </summary>
/// <remarks>
/// Bit-identical to the blocked path: every element of C is summed over k in the same slices of
/// <see cref="GemmBlocking.KC"/>, each one fused multiply-add chain in increasing k starting from 0, and merged with the
/// same <c>c ← s·alpha</c> or <c>c ← fma(s, alpha, beta·c)</c>. Runs on the calling thread.
/// </remarks>
internal static unsafe class GemmRowPath
{
    /// <summary>Products with at most this many rows of C (and an untransposed B) take this path.</summary>
    public const int MaxRows = 4;

    /// <summary>Computes all <paramref name="m"/> × <paramref name="n"/> elements of C.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs g, int m, int n)
    {
        int width = Vector<float>.Count, block = 4 * width;
        for (int i = 0; i < m; i++)
        {
            float* c = g.C + (long)i * g.Ldc;
            for (int pc = 0; pc < g.K; pc += GemmBlocking.KC)
            {
                int kc = Math.Min(GemmBlocking.KC, g.K - pc);
                float beta = pc == 0 ? g.Beta : 1f;
                float* a = g.TransA ? g.A + (long)pc * g.Lda + i : g.A + (long)i * g.Lda + pc;
                nint aStep = g.TransA ? g.Lda : 1;
                float* b = g.B + (long)pc * g.Ldb;
                int j = 0;
                for (; j + block <= n; j += block) Block4(kc, a, aStep, b + j, g.Ldb, c + j, g.Alpha, beta);
                for (; j + width <= n; j += width) Block1(kc, a, aStep, b + j, g.Ldb, c + j, g.Alpha, beta);
                for (; j < n; j++)
                {
                    float s = 0f;
                    for (int p = 0; p < kc; p++) s = MathF.FusedMultiplyAdd(a[p * aStep], b[(long)p * g.Ldb + j], s);
                    c[j] = beta == 0f ? s * g.Alpha : MathF.FusedMultiplyAdd(s, g.Alpha, c[j] * beta);
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block4(int kc, float* a, nint aStep, float* b, int ldb, float* c, float alpha, float beta)
    {
        int w = Vector<float>.Count;
        Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
        for (int p = 0; p < kc; p++, a += aStep, b += ldb)
        {
            var ap = new Vector<float>(*a);
            s0 = Vector.FusedMultiplyAdd(ap, Vector.Load(b), s0);
            s1 = Vector.FusedMultiplyAdd(ap, Vector.Load(b + w), s1);
            s2 = Vector.FusedMultiplyAdd(ap, Vector.Load(b + 2 * w), s2);
            s3 = Vector.FusedMultiplyAdd(ap, Vector.Load(b + 3 * w), s3);
        }
        Merge(c, s0, alpha, beta);
        Merge(c + w, s1, alpha, beta);
        Merge(c + 2 * w, s2, alpha, beta);
        Merge(c + 3 * w, s3, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block1(int kc, float* a, nint aStep, float* b, int ldb, float* c, float alpha, float beta)
    {
        Vector<float> s = default;
        for (int p = 0; p < kc; p++, a += aStep, b += ldb)
            s = Vector.FusedMultiplyAdd(new Vector<float>(*a), Vector.Load(b), s);
        Merge(c, s, alpha, beta);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Merge(float* c, Vector<float> s, float alpha, float beta)
    {
        var va = new Vector<float>(alpha);
        if (beta == 0f) (s * va).Store(c);
        else Vector.FusedMultiplyAdd(s, va, Vector.Load(c) * new Vector<float>(beta)).Store(c);
    }
}
