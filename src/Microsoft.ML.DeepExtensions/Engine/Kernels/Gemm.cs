namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major storage:
/// <c>C = alpha·op(A)·op(B) + beta·C</c>, where <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>.
/// </summary>
/// <remarks>
/// PLACEHOLDER (naive loops) until the blocked SIMD kernel lands; the signature is final.
/// </remarks>
public static class Gemm
{
    /// <summary>Computes <c>C = alpha·op(A)·op(B) + beta·C</c> (row-major, BLAS <c>sgemm</c> semantics).</summary>
    /// <param name="transA">If true, <c>op(A) = Aᵀ</c> and A is stored <c>k×m</c>; else A is stored <c>m×k</c>.</param>
    /// <param name="transB">If true, <c>op(B) = Bᵀ</c> and B is stored <c>n×k</c>; else B is stored <c>k×n</c>.</param>
    /// <param name="m">Rows of <c>op(A)</c> and of C.</param>
    /// <param name="n">Columns of <c>op(B)</c> and of C.</param>
    /// <param name="k">Columns of <c>op(A)</c> = rows of <c>op(B)</c>.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's storage.</param>
    /// <param name="lda">Row stride of A's storage (≥ k, or ≥ m when transposed).</param>
    /// <param name="b">B's storage.</param>
    /// <param name="ldb">Row stride of B's storage (≥ n, or ≥ k when transposed).</param>
    /// <param name="beta">Scale of the existing C; when 0, C is not read (NaNs in C do not propagate).</param>
    /// <param name="c">C's storage, <c>m×n</c>.</param>
    /// <param name="ldc">Row stride of C (≥ n).</param>
    /// <exception cref="ArgumentException">A dimension is negative, a stride is too small, or a buffer is too short.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float s = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    s += av * bv;
                }
                float old = beta == 0f ? 0f : beta * c[i * ldc + j];
                c[i * ldc + j] = alpha * s + old;
            }
        }
    }
}
