using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Kernels;

/// <summary>
/// Products of at most <see cref="GemmRowPath.MaxRows"/> rows with an untransposed B read B in place; their rows must
/// be the same bits as the same rows computed by the packed, blocked path (inside a taller product).
/// </summary>
[TestClass]
public sealed class GemmRowPathTests
{
    [TestMethod]
    [DataRow(1, 1, 1)]
    [DataRow(1, 512, 128)]   // one LSTM step of one example (4·128 gates, hidden 128)
    [DataRow(2, 7, 5)]
    [DataRow(3, 33, 256)]    // n just past a vector block; k exactly one slice
    [DataRow(4, 130, 257)]   // two slices of k, the second of one step
    [DataRow(4, 67, 600)]    // three slices; scalar column tail
    public void RowsAreBitIdenticalToTheBlockedPath(int m, int n, int k)
    {
        const int tall = GemmRowPath.MaxRows + 3; // taller products take the blocked path
        var rng = new Rng((ulong)(m * 1000 + n * 10 + k));
        foreach (bool transA in new[] { false, true })
            foreach (float beta in new[] { 0f, 1f, -0.75f })
            {
                // A holds `tall` rows; the first m of them form the small product.
                float[] a = Random(rng, tall * k), b = Random(rng, k * n + 5), c0 = Random(rng, tall * (n + 2));
                float[] aSmall = new float[m * k];
                for (int i = 0; i < m; i++)
                    for (int p = 0; p < k; p++)
                        aSmall[transA ? p * m + i : i * k + p] = transA ? a[p * tall + i] : a[i * k + p];
                float[] cTall = (float[])c0.Clone(), cSmall = (float[])c0.Clone();
                Gemm.Multiply(transA, false, tall, n, k, 1.25f, a, transA ? tall : k, b, n, beta, cTall, n + 2);
                Gemm.Multiply(transA, false, m, n, k, 1.25f, aSmall, transA ? m : k, b, n, beta, cSmall, n + 2);
                cSmall.AsSpan(0, m * (n + 2)).ToArray().Should().Equal(cTall.AsSpan(0, m * (n + 2)).ToArray(),
                    $"rows 0..{m} of a {m}×{n}×{k} product, transA {transA}, beta {beta}");
                cSmall.AsSpan(m * (n + 2)).ToArray().Should().Equal(c0.AsSpan(m * (n + 2)).ToArray(), "C past the product is untouched");
            }
    }

    private static float[] Random(Rng rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = rng.NextFloat() * 2f - 1f;
        return x;
    }
}
