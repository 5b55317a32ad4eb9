using Microsoft.ML.DeepExtensions.Engine;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Kernels;

/// <summary>Operands and a float64 reference for the <c>Gemm</c> tests.</summary>
internal static class GemmReference
{
    /// <summary>Values uniform in [-1, 1) from <see cref="Rng"/>.</summary>
    public static float[] Random(ulong seed, int length)
    {
        var rng = new Rng(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = 2f * rng.NextFloat() - 1f;
        return x;
    }

    /// <summary>A rows×cols matrix stored with row stride <paramref name="ld"/>; the gaps hold NaN so any read of them poisons the result.</summary>
    public static float[] Strided(ulong seed, int rows, int cols, int ld)
    {
        var values = Random(seed, rows * cols);
        var x = new float[Math.Max(1, rows == 0 ? 0 : (rows - 1) * ld + cols + 3)];
        Array.Fill(x, float.NaN);
        for (int r = 0; r < rows; r++) Array.Copy(values, r * cols, x, r * ld, cols);
        return x;
    }

    /// <summary>
    /// Checks <c>c = alpha·op(A)·op(B) + beta·c0</c> against a float64 triple loop, element by element, within
    /// <c>rel·(|alpha|·Σ_p |op(A)[i,p]·op(B)[p,j]| + |beta·c0[i,j]|)</c>, and that C's gaps (columns n..ldc) are untouched.
    /// </summary>
    public static void AssertProduct(bool transA, bool transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c0, float[] c, int ldc, double rel, string what)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA ? a[p * lda + i] : a[i * lda + p];
                    double bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }
                double old = beta == 0f ? 0 : (double)beta * c0[i * ldc + j];
                double expected = alpha * sum + old;
                double tol = rel * (Math.Abs(alpha) * magnitude + Math.Abs(old)) + 1e-30;
                double got = c[i * ldc + j];
                if (!(Math.Abs(got - expected) <= tol))
                    throw new AssertFailedException($"{what}: C[{i},{j}] = {got:R}, expected {expected:R} (tol {tol:E2}).");
            }
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
            {
                if (!c[i * ldc + j].Equals(c0[i * ldc + j]))
                    throw new AssertFailedException($"{what}: C's gap element [{i},{j}] (column ≥ n) was written.");
            }
        }
    }
}
