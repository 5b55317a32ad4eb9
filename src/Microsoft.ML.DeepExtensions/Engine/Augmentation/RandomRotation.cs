namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Rotates the image by a random angle about its centre, bilinear, with <c>fill</c> in the corners (torchvision
/// <c>RandomRotation(degrees)</c>, Keras <c>RandomRotation</c>); the same warp as <see cref="ImageGeometry.Affine"/>
/// with scale 1 and no translation. A positive angle turns the picture counter-clockwise.
/// </summary>
/// <remarks><b>Draws:</b> one angle <c>θ = U(−degrees, degrees)</c> (<see cref="Rng.NextDouble"/>).</remarks>
public sealed class RandomRotation : ImageAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    /// <param name="degrees">The largest rotation in degrees, ≥ 0.</param>
    /// <param name="fill">The value outside the source. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="degrees"/> is negative or not finite.</exception>
    public RandomRotation(double degrees, float fill = 0f)
    {
        CheckRange(0, degrees, nameof(degrees));
        Degrees = degrees;
        Fill = fill;
    }

    /// <summary>The largest rotation in degrees.</summary>
    public double Degrees { get; }

    /// <summary>The value outside the source.</summary>
    public float Fill { get; }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        double angle = Uniform(rng, -Degrees, Degrees);
        int n = channels * height * width;
        image[..n].CopyTo(scratch);
        ImageGeometry.Affine(scratch[..n], image, channels, height, width, angle, fill: Fill);
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomRotation(degrees: {Degrees})";
}
