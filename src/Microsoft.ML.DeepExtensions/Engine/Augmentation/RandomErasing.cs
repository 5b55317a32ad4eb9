namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Random erasing (Zhong, Zheng, Kang, Li &amp; Yang, "Random Erasing Data Augmentation", AAAI 2020; torchvision
/// <c>RandomErasing</c>): with probability <c>p</c>, a random rectangle of every channel is set to a constant (default
/// 0) or to standard-normal noise.
/// </summary>
/// <remarks>
/// <para><b>Draws:</b> <c>u = NextFloat()</c>; nothing happens unless <c>u &lt; p</c>. Then up to 10 attempts of area
/// <c>a = H·W·U(scale)</c> and ratio <c>r = exp(U(ln ratio.min, ln ratio.max))</c>, giving <c>h = round(√(a·r))</c>,
/// <c>w = round(√(a/r))</c>; the first with <c>h &lt; H</c> and <c>w &lt; W</c> is placed at
/// <c>top = NextInt(H − h + 1)</c>, <c>left = NextInt(W − w + 1)</c> and erased (noise: one
/// <see cref="Rng.NextGaussian"/> per value, channel by channel, row-major). If no attempt fits, the image is
/// unchanged (as torchvision).</para>
/// </remarks>
public sealed class RandomErasing : ImageAugmentation
{
    private const int Attempts = 10;

    /// <summary>Creates the augmentation.</summary>
    /// <param name="p">The probability of erasing, in [0, 1]. Default 0.5.</param>
    /// <param name="minScale">Smallest erased area as a fraction of the image. Default 0.02.</param>
    /// <param name="maxScale">Largest erased area fraction. Default 0.33.</param>
    /// <param name="minRatio">Smallest aspect ratio h/w. Default 0.3.</param>
    /// <param name="maxRatio">Largest aspect ratio h/w. Default 3.3.</param>
    /// <param name="value">The erasing value. Default 0.</param>
    /// <param name="randomValues">Erase with N(0, 1) noise instead of <paramref name="value"/>. Default false.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public RandomErasing(float p = 0.5f, double minScale = 0.02, double maxScale = 0.33, double minRatio = 0.3, double maxRatio = 3.3,
        float value = 0f, bool randomValues = false)
    {
        P = CheckProbability(p, nameof(p));
        CheckRange(minScale, maxScale, nameof(minScale));
        CheckRange(minRatio, maxRatio, nameof(minRatio), double.Epsilon);
        (MinScale, MaxScale, MinRatio, MaxRatio, Value, RandomValues) = (minScale, maxScale, minRatio, maxRatio, value, randomValues);
    }

    /// <summary>The probability of erasing.</summary>
    public float P { get; }

    /// <summary>Smallest erased area fraction.</summary>
    public double MinScale { get; }

    /// <summary>Largest erased area fraction.</summary>
    public double MaxScale { get; }

    /// <summary>Smallest aspect ratio h/w.</summary>
    public double MinRatio { get; }

    /// <summary>Largest aspect ratio h/w.</summary>
    public double MaxRatio { get; }

    /// <summary>The erasing value (unless <see cref="RandomValues"/>).</summary>
    public float Value { get; }

    /// <summary>Erase with standard-normal noise.</summary>
    public bool RandomValues { get; }

    /// <summary>Draws the rectangle to erase (after the probability draw), or null when no attempt fits.</summary>
    public (int Top, int Left, int Height, int Width)? SampleBox(int height, int width, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double area = (double)height * width, logMin = Math.Log(MinRatio), logMax = Math.Log(MaxRatio);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double target = area * Uniform(rng, MinScale, MaxScale);
            double ratio = Math.Exp(Uniform(rng, logMin, logMax));
            int h = (int)Math.Round(Math.Sqrt(target * ratio)), w = (int)Math.Round(Math.Sqrt(target / ratio));
            if (h < height && w < width)
                return (rng.NextInt(height - h + 1), rng.NextInt(width - w + 1), h, w);
        }
        return null;
    }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(rng.NextFloat() < P) || SampleBox(height, width, rng) is not { } box) return;
        var (top, left, h, w) = box;
        for (int c = 0; c < channels; c++)
            for (int y = top; y < top + h; y++)
            {
                var row = image.Slice((c * height + y) * width + left, w);
                if (!RandomValues)
                {
                    row.Fill(Value);
                    continue;
                }
                for (int x = 0; x < w; x++) row[x] = (float)rng.NextGaussian();
            }
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomErasing(p: {P}, scale: [{MinScale}, {MaxScale}], ratio: [{MinRatio}, {MaxRatio}])";
}
