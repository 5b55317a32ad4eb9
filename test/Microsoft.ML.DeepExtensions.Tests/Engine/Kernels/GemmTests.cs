using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Kernels;

[TestClass]
public sealed class GemmTests
{
    private const double Rel = 1e-5; // relative to Σ|a·b|: float32 sums of up to 300 terms

    // Edges for MR = 6, vector widths 4/8/16, NR = 8/16/32, KC = 256, MC = 144, plus primes and 1.
    public static IEnumerable<object[]> Shapes =>
    [
        [1, 1, 1], [1, 300, 1], [300, 1, 1], [1, 1, 300], [2, 3, 4],
        [5, 7, 15], [6, 32, 16], [7, 33, 17], [5, 31, 255], [13, 17, 256],
        [19, 47, 257], [97, 131, 64], [143, 145, 31], [145, 63, 293], [131, 257, 2],
        [257, 293, 97], [300, 300, 300], [4, 2049, 3],
    ];

    [TestMethod]
    [DynamicData(nameof(Shapes))]
    public void Multiply_MatchesFloat64Reference_ForAllTransposes(int m, int n, int k)
    {
        foreach (bool transA in new[] { false, true })
        {
            foreach (bool transB in new[] { false, true })
            {
                CheckProduct(GemmKernel.Default, transA, transB, m, n, k, 1f, 0f, padding: 0);
                CheckProduct(GemmKernel.Default, transA, transB, m, n, k, -0.5f, 0.75f, padding: 3);
            }
        }
    }

    [TestMethod]
    [DataRow(256, 1f, 1f)]
    [DataRow(256, 2f, -1f)]
    [DataRow(128, 0.5f, 0f)]
    [DataRow(128, -1.5f, 2f)]
    public void Multiply_NarrowerVectorKernels_MatchReference(int bits, float alpha, float beta)
    {
        GemmKernel kernel;
        try { kernel = GemmKernel.ForWidth(bits); }
        catch (NotSupportedException) { Assert.Inconclusive($"{bits}-bit vectors are not accelerated here."); return; }
        int[][] shapes = [[1, 1, 1], [7, 9, 5], [13, 17, 257], [61, 45, 97], [6, 16, 8]];
        foreach (var s in shapes)
            foreach (bool transA in new[] { false, true })
                foreach (bool transB in new[] { false, true })
                    CheckProduct(kernel, transA, transB, s[0], s[1], s[2], alpha, beta, padding: 2);
    }

    [TestMethod]
    public void Multiply_BetaZero_DoesNotReadNaNsInC()
    {
        int m = 37, n = 41, k = 19;
        var a = GemmReference.Random(1, m * k);
        var b = GemmReference.Random(2, k * n);
        var c = new float[m * n];
        Array.Fill(c, float.NaN);
        Gemm.Multiply(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
        c.Should().OnlyContain(v => float.IsFinite(v));
    }

    [TestMethod]
    [DataRow(0, 0f)]
    [DataRow(0, 2f)]
    [DataRow(5, 2f)]
    public void Multiply_ZeroDepthOrZeroAlpha_ScalesC(int k, float beta)
    {
        int m = 9, n = 35;
        var a = new float[Math.Max(1, m * k)];
        var b = new float[Math.Max(1, k * n)];
        Array.Fill(a, float.NaN); // alpha·op(A)·op(B) is skipped, so A and B are not read
        var c = GemmReference.Random(3, m * n);
        var expected = c.Select(v => beta == 0f ? 0f : beta * v).ToArray();
        if (beta == 0f) Array.Fill(c, float.NaN);
        Gemm.Multiply(false, true, m, n, k, k == 0 ? 1f : 0f, a, Math.Max(1, k), b, Math.Max(1, k), beta, c, n);
        c.Should().Equal(expected);
    }

    [TestMethod]
    public void Multiply_SmallProducts_DoNotAllocateAfterWarmUp()
    {
        // The three products of a 64→64 linear layer on a batch of 32, all below the threading threshold.
        var x = GemmReference.Random(4, 32 * 64);
        var w = GemmReference.Random(5, 64 * 64);
        var y = new float[32 * 64];
        var dx = new float[32 * 64];
        var dw = new float[64 * 64];
        void Step()
        {
            Gemm.Multiply(false, true, 32, 64, 64, 1f, x, 64, w, 64, 0f, y, 64);
            Gemm.Multiply(false, false, 32, 64, 64, 1f, y, 64, w, 64, 0f, dx, 64);
            Gemm.Multiply(true, false, 64, 64, 32, 1f, y, 64, x, 64, 0f, dw, 64);
        }
        Step();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) Step();
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [TestMethod]
    public void Multiply_EmptyOutput_IsANoOp()
    {
        var c = new float[] { 7f };
        Gemm.Multiply(false, false, 0, 1, 3, 1f, [], 3, new float[3], 1, 0f, c, 1);
        Gemm.Multiply(false, false, 1, 0, 3, 1f, new float[3], 3, [], 1, 0f, c, 1);
        c[0].Should().Be(7f);
    }

    [TestMethod]
    [DataRow(-1, 2, 2, 2, 2, 2, "dimensions")]
    [DataRow(2, 2, 3, 2, 3, 2, "lda")]
    [DataRow(2, 2, 3, 3, 1, 2, "ldb")]
    [DataRow(2, 4, 3, 3, 4, 3, "ldc")]
    public void Multiply_InvalidDimensionsOrStrides_Throw(int m, int n, int k, int lda, int ldb, int ldc, string expected)
    {
        var act = () => Gemm.Multiply(false, false, m, n, k, 1f, new float[64], lda, new float[64], ldb, 0f, new float[64], ldc);
        act.Should().Throw<ArgumentException>().WithMessage($"*{expected}*");
    }

    [TestMethod]
    [DataRow(false, false, 'a')]
    [DataRow(true, false, 'a')]
    [DataRow(false, true, 'b')]
    [DataRow(false, false, 'c')]
    public void Multiply_ShortBuffer_ThrowsNamingIt(bool transA, bool transB, char shortOne)
    {
        int m = 4, n = 5, k = 6;
        var a = new float[m * k - (shortOne == 'a' ? 1 : 0)];
        var b = new float[k * n - (shortOne == 'b' ? 1 : 0)];
        var c = new float[m * n - (shortOne == 'c' ? 1 : 0)];
        var act = () => Gemm.Multiply(transA, transB, m, n, k, 1f, a, transA ? m : k, b, transB ? k : n, 0f, c, n);
        act.Should().Throw<ArgumentException>().WithMessage($"*buffer {shortOne} holds*");
    }

    internal static void CheckProduct(GemmKernel kernel, bool transA, bool transB, int m, int n, int k,
        float alpha, float beta, int padding)
    {
        int lda = (transA ? m : k) + padding, ldb = (transB ? k : n) + padding, ldc = n + padding;
        var a = GemmReference.Strided(10, transA ? k : m, transA ? m : k, lda);
        var b = GemmReference.Strided(20, transB ? n : k, transB ? k : n, ldb);
        var c0 = GemmReference.Strided(30, m, n, ldc);
        if (beta == 0f) for (int i = 0; i < c0.Length; i++) c0[i] = float.NaN; // must not be read
        var c = (float[])c0.Clone();
        Gemm.Multiply(kernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        GemmReference.AssertProduct(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c0, c, ldc, Rel,
            $"{kernel.VectorBits}-bit transA={transA} transB={transB} m={m} n={n} k={k} alpha={alpha} beta={beta} pad={padding}");
    }
}
