using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Kernels;

[TestClass]
[DoNotParallelize] // changes the process-wide Parallelism.MaxDegreeOfParallelism
public sealed class GemmThreadingTests
{
    // Large enough to pass Gemm.ParallelFlopThreshold; split by rows (m ≥ n) or by columns, with k > KC.
    [TestMethod]
    [DataRow(300, 300, 300)]
    [DataRow(701, 97, 263)]
    [DataRow(61, 709, 300)]
    [DataRow(1024, 64, 64)]
    public void Multiply_OneAndTwoThreads_GiveBitIdenticalResults(int m, int n, int k)
    {
        ((double)2 * m * n * k).Should().BeGreaterThanOrEqualTo(Gemm.ParallelFlopThreshold, "the product must actually be split");
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    foreach (float beta in new[] { 0f, 0.5f })
                    {
                        var one = Run(1, transA, transB, m, n, k, beta);
                        var two = Run(2, transA, transB, m, n, k, beta);
                        for (int i = 0; i < one.Length; i++)
                        {
                            if (BitConverter.SingleToInt32Bits(one[i]) != BitConverter.SingleToInt32Bits(two[i]))
                                Assert.Fail($"transA={transA} transB={transB} beta={beta}: element {i} differs: {one[i]:R} (1 thread) vs {two[i]:R} (2 threads).");
                        }
                    }
                }
            }
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void Multiply_TwoThreads_MatchesReference()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 2;
            GemmTests.CheckProduct(GemmKernel.Default, false, true, 211, 190, 301, 1.25f, -0.5f, padding: 5);
            GemmTests.CheckProduct(GemmKernel.Default, true, false, 67, 400, 290, 1f, 0f, padding: 1);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static float[] Run(int threads, bool transA, bool transB, int m, int n, int k, float beta)
    {
        Parallelism.MaxDegreeOfParallelism = threads;
        var a = GemmReference.Random(41, m * k);
        var b = GemmReference.Random(42, k * n);
        var c = GemmReference.Random(43, m * n);
        Gemm.Multiply(transA, transB, m, n, k, 0.75f, a, transA ? m : k, b, transB ? k : n, beta, c, n);
        return c;
    }
}
