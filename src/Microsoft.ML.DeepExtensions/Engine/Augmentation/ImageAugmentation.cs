namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// One random image augmentation (a torchvision <c>transforms.Random*</c> / Keras <c>Random*</c> layer): draws its
/// parameters from a generator and changes one image <c>(C, H, W)</c> in place, keeping its shape. Chain them in an
/// <see cref="ImageAugmentationPipeline"/>.
/// </summary>
/// <remarks>
/// Implementations hold only their settings (they are shared by threads): everything random comes from the
/// <see cref="Rng"/> passed in, so the same generator state gives the same output.
/// </remarks>
public abstract class ImageAugmentation
{
    /// <summary>Applies one random draw of the augmentation to <paramref name="image"/> in place.</summary>
    /// <param name="image">The image, <c>C·H·W</c> values in channel-major order.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="rng">The example's generator; the augmentation draws from it in a documented order.</param>
    /// <param name="scratch">A work buffer of at least <c>C·H·W</c> values whose content is undefined on entry and exit.</param>
    public abstract void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch);

    /// <summary>Throws when the augmentation cannot apply to images of this shape (e.g. colour jitter on 2 channels).</summary>
    /// <exception cref="ArgumentException">The shape is not supported.</exception>
    public virtual void CheckShape(int channels, int height, int width)
    {
        if (channels < 1 || height < 1 || width < 1)
            throw new ArgumentException($"Image dimensions must be >= 1, got ({channels}, {height}, {width}).");
    }

    /// <summary>A uniform draw in [<paramref name="min"/>, <paramref name="max"/>) (one <see cref="Rng.NextDouble"/>).</summary>
    protected static double Uniform(Rng rng, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return min + (max - min) * rng.NextDouble();
    }

    /// <summary>Checks <c>0 ≤ min ≤ max</c>, both finite.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is invalid.</exception>
    private protected static void CheckRange(double min, double max, string name, double lowest = 0)
    {
        if (!(double.IsFinite(min) && double.IsFinite(max) && min >= lowest && min <= max))
            throw new ArgumentOutOfRangeException(name, $"[{min}, {max}]", $"The range must be finite with {lowest} <= min <= max.");
    }

    /// <summary>Checks a probability in [0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">It is not.</exception>
    private protected static float CheckProbability(float p, string name) =>
        p is >= 0f and <= 1f ? p : throw new ArgumentOutOfRangeException(name, p, "The probability must be in [0, 1].");
}
