namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>The operands of one <see cref="Gemm"/> product, as raw pointers (valid while the caller keeps them pinned).</summary>
internal readonly unsafe struct GemmArgs(bool transA, bool transB, int k, float alpha,
    float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
{
    public readonly bool TransA = transA, TransB = transB;
    public readonly int K = k, Lda = lda, Ldb = ldb, Ldc = ldc;
    public readonly float Alpha = alpha, Beta = beta;
    public readonly float* A = a, B = b, C = c;
}
