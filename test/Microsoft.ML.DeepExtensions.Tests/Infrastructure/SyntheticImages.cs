using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>
/// The image data set and initial weights of benchmark workload W2 (LeNet-5), exactly as the shared benchmark's
/// WORKLOADS.md defines them, so that tests can compare with the PyTorch anchor's sanity values.
/// </summary>
/// <remarks>
/// SplitMix64 streams: <c>u24(seed, i) = (splitmix64(seed, i) &gt;&gt; 40)·2⁻²⁴</c>, <c>sym = 2·u24 − 1</c>,
/// <c>uint(seed, i, m) = (splitmix64(seed, i) &gt;&gt; 32) mod m</c>. W2: 10,000 grey 28×28 images;
/// <c>y[i] = uint(2000, i, 10)</c>; template <c>P[k, p] = u24(2001, k·784 + p)</c>; noise <c>U[i, p] = u24(2002, i·784 + p)</c>;
/// <c>X[i, p] = 0.25·P[y[i], p] + 0.75·U[i, p]</c> (float32). Epoch <c>e</c> visits the rows sorted by
/// <c>splitmix64(9000 + e, i)</c>. Initial weights: parameter <c>idx</c> (in <c>named_parameters</c> order) gets
/// <c>w[i] = sym(7000 + idx, i)·(float)(1/√fan_in)</c>.
/// </remarks>
public static class SyntheticImages
{
    /// <summary>Rows of the full W2 data set.</summary>
    public const int W2Rows = 10_000;

    /// <summary>Pixels per W2 image (1×28×28).</summary>
    public const int W2Pixels = 784;

    /// <summary>The 64 row indices of the first W2 training batch (epoch 0 order).</summary>
    public static int[] W2FirstBatch() =>
        Enumerable.Range(0, W2Rows).OrderBy(i => Rng.SplitMix64(9000, (ulong)i)).Take(64).ToArray();

    /// <summary>The W2 class of row <paramref name="row"/>.</summary>
    public static int W2Label(int row) => (int)((Rng.SplitMix64(2000, (ulong)row) >> 32) % 10);

    /// <summary>W2 rows <paramref name="rows"/> as an in-memory data set of <c>[1, 28, 28]</c> images and class-index targets.</summary>
    public static InMemoryDataset W2(IReadOnlyList<int> rows)
    {
        var features = new float[rows.Count * W2Pixels];
        var targets = new float[rows.Count];
        for (int r = 0; r < rows.Count; r++)
        {
            int i = rows[r], y = W2Label(i);
            targets[r] = y;
            for (int p = 0; p < W2Pixels; p++)
                features[r * W2Pixels + p] = 0.25f * U24(2001, (ulong)(y * W2Pixels + p)) + 0.75f * U24(2002, (ulong)(i * W2Pixels + p));
        }
        return new InMemoryDataset(features, [1, 28, 28], targets);
    }

    /// <summary>
    /// Sets every parameter of <paramref name="network"/> to the benchmark rule <c>sym(7000 + idx, i)·(float)(1/√fan_in)</c>,
    /// where fan_in is the product of a weight's dimensions after the first, and a bias takes the preceding weight's.
    /// </summary>
    public static void BenchmarkInitialize(Layer network)
    {
        double bound = 0;
        for (int idx = 0; idx < network.Parameters.Count; idx++)
        {
            Tensor v = network.Parameters[idx].Value;
            if (v.Rank > 1) bound = 1.0 / Math.Sqrt(v.Length / v.Dim(0));
            float b = (float)bound;
            Span<float> s = v.Span;
            for (int i = 0; i < s.Length; i++) s[i] = (2f * U24((ulong)(7000 + idx), (ulong)i) - 1f) * b;
        }
    }

    private static float U24(ulong seed, ulong index) => (Rng.SplitMix64(seed, index) >> 40) * (1f / (1 << 24));
}
