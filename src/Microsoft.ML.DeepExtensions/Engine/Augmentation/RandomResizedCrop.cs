namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Crops a random box of random area and aspect ratio and resizes it bilinearly back to the image's size
/// (torchvision <c>RandomResizedCrop</c>, Szegedy et al. 2015, "Going deeper with convolutions"; the output size is
/// the input size, so batches keep their shape).
/// </summary>
/// <remarks>
/// <para><b>Box</b> (torchvision's <c>get_params</c>): up to 10 attempts of area <c>a = H·W·U(scale)</c> and ratio
/// <c>r = exp(U(ln ratio.min, ln ratio.max))</c>, giving <c>w = round(√(a·r))</c>, <c>h = round(√(a/r))</c>; the first
/// box with <c>0 &lt; w ≤ W</c> and <c>0 &lt; h ≤ H</c> is placed at <c>top = NextInt(H − h + 1)</c>,
/// <c>left = NextInt(W − w + 1)</c>. If none fits: the largest central box whose ratio is clamped to the range.</para>
/// <para><b>Resize:</b> <see cref="ImageGeometry.ResizedCrop"/> (half-pixel bilinear, no antialiasing).</para>
/// </remarks>
public sealed class RandomResizedCrop : ImageAugmentation
{
    private const int Attempts = 10;

    /// <summary>Creates the augmentation.</summary>
    /// <param name="minScale">Smallest box area as a fraction of the image. Default 0.08.</param>
    /// <param name="maxScale">Largest box area fraction. Default 1.</param>
    /// <param name="minRatio">Smallest aspect ratio w/h. Default 3/4.</param>
    /// <param name="maxRatio">Largest aspect ratio w/h. Default 4/3.</param>
    /// <exception cref="ArgumentOutOfRangeException">A range is empty, negative or not finite, or a ratio is 0.</exception>
    public RandomResizedCrop(double minScale = 0.08, double maxScale = 1.0, double minRatio = 3.0 / 4, double maxRatio = 4.0 / 3)
    {
        CheckRange(minScale, maxScale, nameof(minScale));
        CheckRange(minRatio, maxRatio, nameof(minRatio), double.Epsilon);
        (MinScale, MaxScale, MinRatio, MaxRatio) = (minScale, maxScale, minRatio, maxRatio);
    }

    /// <summary>Smallest box area fraction.</summary>
    public double MinScale { get; }

    /// <summary>Largest box area fraction.</summary>
    public double MaxScale { get; }

    /// <summary>Smallest aspect ratio w/h.</summary>
    public double MinRatio { get; }

    /// <summary>Largest aspect ratio w/h.</summary>
    public double MaxRatio { get; }

    /// <summary>Draws a box (top, left, height, width) for an <paramref name="height"/>×<paramref name="width"/> image.</summary>
    public (int Top, int Left, int Height, int Width) SampleBox(int height, int width, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double area = (double)height * width, logMin = Math.Log(MinRatio), logMax = Math.Log(MaxRatio);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double target = area * Uniform(rng, MinScale, MaxScale);
            double ratio = Math.Exp(Uniform(rng, logMin, logMax));
            int w = (int)Math.Round(Math.Sqrt(target * ratio)), h = (int)Math.Round(Math.Sqrt(target / ratio));
            if (w > 0 && w <= width && h > 0 && h <= height)
                return (rng.NextInt(height - h + 1), rng.NextInt(width - w + 1), h, w);
        }
        double inRatio = (double)width / height;
        int cw = width, ch = height;
        if (inRatio < MinRatio) ch = Math.Max(1, (int)Math.Round(cw / MinRatio));
        else if (inRatio > MaxRatio) cw = Math.Max(1, (int)Math.Round(ch * MaxRatio));
        return ((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        var (top, left, h, w) = SampleBox(height, width, rng);
        if (h == height && w == width) return; // the whole image at its own size: the identity
        int n = channels * height * width;
        image[..n].CopyTo(scratch);
        ImageGeometry.ResizedCrop(scratch[..n], channels, height, width, top, left, h, w, image, height, width);
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomResizedCrop(scale: [{MinScale}, {MaxScale}], ratio: [{MinRatio:G4}, {MaxRatio:G4}])";
}
