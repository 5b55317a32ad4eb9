namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major storage (BLAS <c>sgemm</c>):
/// <c>C = alpha·op(A)·op(B) + beta·C</c>, where <c>op(X)</c> is <c>X</c> or <c>Xᵀ</c>,
/// <c>op(A)</c> is <c>(m, k)</c>, <c>op(B)</c> is <c>(k, n)</c> and <c>C</c> is <c>(m, n)</c>.
/// </summary>
/// <remarks>
/// <para>
/// Cache-blocked (Goto &amp; van de Geijn, "Anatomy of high-performance matrix multiplication",
/// TOMS 2008), with packed A and B panels, around a register-blocked micro-kernel of 6 rows × 2
/// vectors on <c>Vector512</c> where it is accelerated, <c>Vector256</c> otherwise, and
/// <c>Vector128</c> as the fallback (SSE, Arm AdvSIMD). The three
/// products of a linear layer map onto it as: forward <c>Y = X·Wᵀ</c> (<c>transB</c>), input
/// gradient <c>dX = dY·W</c>, weight gradient <c>dW = dYᵀ·X</c> (<c>transA</c>).
/// </para>
/// <para>
/// Threads: up to <see cref="Parallelism.MaxDegreeOfParallelism"/>, each on its own rectangle of
/// C, and only for products of at least 4·2²⁰ flops (<c>2·m·n·k</c>); smaller ones run on the
/// calling thread. k is never split, and each element of C is summed in the same order whatever
/// the thread count, so results are bit-identical for every
/// <see cref="Parallelism.MaxDegreeOfParallelism"/>. A single-threaded multiply allocates nothing
/// once the calling thread's packing buffers have grown to the problem size; a multi-threaded one
/// allocates one small task object.
/// </para>
/// <para>
/// A product of at most 4 rows with an untransposed B, too small to be threaded, reads B in place instead of packing
/// it (the shape of a recurrent step, or of scoring one example); the arithmetic, below, is the same.
/// </para>
/// <para>
/// Rounding: k is cut into slices of 256; over each slice an element's products are summed by one
/// chain of fused multiply-adds in increasing k, giving <c>sᵢ</c>; then
/// <c>c ← fma(alpha, s₁, beta·c)</c> (<c>alpha·s₁</c> when beta = 0) and
/// <c>c ← fma(alpha, sᵢ, c)</c> for the later slices. The error against exact arithmetic is at
/// most about <c>k·2⁻²⁴·Σ|a·b|</c> (usually far less); results are reproducible on a given
/// instruction set.
/// </para>
/// </remarks>
public static class Gemm
{
    /// <summary>Products with fewer flops (<c>2·m·n·k</c>) than this run on the calling thread alone.</summary>
    internal const long ParallelFlopThreshold = 4L << 20;

    /// <summary>Computes <c>C = alpha·op(A)·op(B) + beta·C</c> (row-major, BLAS <c>sgemm</c> semantics).</summary>
    /// <param name="transA">If true, <c>op(A) = Aᵀ</c> and A is stored <c>k×m</c>; else A is stored <c>m×k</c>.</param>
    /// <param name="transB">If true, <c>op(B) = Bᵀ</c> and B is stored <c>n×k</c>; else B is stored <c>k×n</c>.</param>
    /// <param name="m">Rows of <c>op(A)</c> and of C.</param>
    /// <param name="n">Columns of <c>op(B)</c> and of C.</param>
    /// <param name="k">Columns of <c>op(A)</c> = rows of <c>op(B)</c>. When 0 (or <paramref name="alpha"/> is 0), <c>C = beta·C</c>.</param>
    /// <param name="alpha">Scale of the product.</param>
    /// <param name="a">A's storage: element <c>(r, s)</c> of the stored matrix is <c>a[r·lda + s]</c>.</param>
    /// <param name="lda">Row stride of A's storage (≥ k, or ≥ m when transposed; at least 1).</param>
    /// <param name="b">B's storage: element <c>(r, s)</c> of the stored matrix is <c>b[r·ldb + s]</c>.</param>
    /// <param name="ldb">Row stride of B's storage (≥ n, or ≥ k when transposed; at least 1).</param>
    /// <param name="beta">Scale of the existing C; when 0, C is not read (NaNs in C do not propagate).</param>
    /// <param name="c">C's storage, <c>m×n</c>: element <c>(i, j)</c> is <c>c[i·ldc + j]</c>. Must not overlap A or B.</param>
    /// <param name="ldc">Row stride of C (≥ n; at least 1).</param>
    /// <exception cref="ArgumentException">A dimension is negative, a stride is too small, or a buffer is too short for its dimensions and stride.</exception>
    public static void Multiply(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Multiply(GemmKernel.Default, Parallelism.MaxDegreeOfParallelism, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>
    /// <see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// on the calling thread alone, for callers that already run independent products on several threads (the
    /// result is the same bits).
    /// </summary>
    internal static void MultiplyOnCallingThread(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Multiply(GemmKernel.Default, 1, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary><see cref="Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/> with a chosen micro-kernel (tests of the narrower vector paths).</summary>
    internal static void Multiply(GemmKernel kernel, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Multiply(kernel, Parallelism.MaxDegreeOfParallelism, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    private static unsafe void Multiply(GemmKernel kernel, int threads, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentException($"Gemm dimensions must be non-negative; got m={m}, n={n}, k={k}.");
        CheckOperand("A", transA, transA ? k : m, transA ? m : k, a.Length, lda, nameof(lda));
        CheckOperand("B", transB, transB ? n : k, transB ? k : n, b.Length, ldb, nameof(ldb));
        CheckOperand("C", false, m, n, c.Length, ldc, nameof(ldc));
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c)
        {
            if (k == 0 || alpha == 0f)
            {
                ScaleC(pc, m, n, ldc, beta);
                return;
            }
            var args = new GemmArgs(transA, transB, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
            if (!transB && m <= GemmRowPath.MaxRows && kernel.VectorBits == GemmKernel.Default.VectorBits && (threads <= 1 || 2.0 * m * n * k < ParallelFlopThreshold))
                GemmRowPath.Run(args, m, n);
            else if (threads <= 1 || 2.0 * m * n * k < ParallelFlopThreshold)
                GemmBlocking.Run(args, kernel, 0, m, 0, n);
            else
                GemmThreading.Run(args, kernel, m, n, threads);
        }
    }

    private static void CheckOperand(string name, bool transposed, int rows, int cols, int length, int ld, string ldName)
    {
        int minLd = Math.Max(1, cols);
        long needed = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (ld < minLd)
            throw new ArgumentException($"Gemm: {ldName}={ld} is too small for {Describe(name, transposed, rows, cols)}; it must be at least {minLd}.", ldName);
        if (length < needed)
            throw new ArgumentException($"Gemm: buffer {name.ToLowerInvariant()} holds {length} floats, but {Describe(name, transposed, rows, cols)} with row stride {ld} needs {needed}.", name.ToLowerInvariant());
    }

    private static string Describe(string name, bool transposed, int rows, int cols)
        => transposed ? $"{name}ᵀ, stored {rows}×{cols}" : $"{name}, stored {rows}×{cols}";

    private static unsafe void ScaleC(float* c, int m, int n, int ldc, float beta)
    {
        for (int i = 0; i < m; i++)
        {
            var row = new Span<float>(c + (long)i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}
