using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>A grey image <c>(1, 12, 12)</c> with a Boolean label.</summary>
public sealed class BarImageBinaryRow
{
    [VectorType(1, BarImages.Size, BarImages.Size)]
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }
}

/// <summary>A grey image <c>(1, 12, 12)</c> with a Single label.</summary>
public sealed class BarImageRegressionRow
{
    [VectorType(1, BarImages.Size, BarImages.Size)]
    public float[] Features { get; set; } = [];

    public float Label { get; set; }
}

/// <summary>A grey image <c>(1, 12, 12)</c> with a key label of three classes (0 horizontal, 1 vertical, 2 diagonal bar).</summary>
public sealed class BarImageMulticlassRow
{
    [VectorType(1, BarImages.Size, BarImages.Size)]
    public float[] Features { get; set; } = [];

    [KeyType(3)]
    public uint Label { get; set; }
}

/// <summary>
/// Tiny synthetic images for fast trainer tests: 12×12 grey images of N(0, 0.2²) noise with one bright 3-pixel-wide
/// bar, horizontal, vertical or diagonal, at a random position, of intensity <c>b</c> ∈ [0.5, 2]. Tasks: binary "is the
/// bar vertical" (horizontal or vertical bars), multiclass "which orientation", regression "how bright is the bar" (label
/// <c>10·b</c>, horizontal or vertical bars). 12×12 is the smallest image LeNet-5 takes.
/// </summary>
public static class BarImages
{
    /// <summary>Image height and width.</summary>
    public const int Size = 12;

    /// <summary>Draws one image: <paramref name="orientation"/> 0 horizontal, 1 vertical, 2 diagonal; returns the pixels.</summary>
    public static float[] Draw(Random random, int orientation, float brightness)
    {
        var x = new float[Size * Size];
        for (int i = 0; i < x.Length; i++) x[i] = 0.2f * (float)Gaussian(random);
        int at = random.Next(1, Size - 1);
        for (int t = 0; t < Size; t++)
            for (int w = -1; w <= 1; w++)
            {
                var (r, c) = orientation switch
                {
                    0 => (at + w, t),
                    1 => (t, at + w),
                    _ => (t, Math.Clamp(t + w, 0, Size - 1)),
                };
                x[r * Size + c] += brightness;
            }
        return x;
    }

    public static List<BarImageBinaryRow> Binary(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i => new BarImageBinaryRow { Features = Draw(random, i % 2, 0.5f + 1.5f * random.NextSingle()), Label = i % 2 == 1 }).ToList();
    }

    public static List<BarImageMulticlassRow> Multiclass(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i => new BarImageMulticlassRow { Features = Draw(random, i % 3, 0.5f + 1.5f * random.NextSingle()), Label = (uint)(i % 3) }).ToList();
    }

    public static List<BarImageRegressionRow> Regression(int rows, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows).Select(i =>
        {
            float b = 0.5f + 1.5f * random.NextSingle();
            return new BarImageRegressionRow { Features = Draw(random, i % 2, b), Label = 10 * b };
        }).ToList();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
