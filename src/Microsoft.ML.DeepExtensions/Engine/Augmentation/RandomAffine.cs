namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// A random rotation, translation and isotropic scale about the image centre, bilinear, with <c>fill</c> outside
/// (torchvision <c>RandomAffine(degrees, translate, scale)</c> without shear; Keras <c>RandomRotation</c> +
/// <c>RandomTranslation</c> + <c>RandomZoom</c>). See <see cref="ImageGeometry.Affine"/> for the mapping.
/// </summary>
/// <remarks>
/// <b>Draws</b> (always four, in this order): angle <c>θ = U(−degrees, degrees)</c>;
/// <c>t_x = round(U(−a·W, a·W))</c> and <c>t_y = round(U(−b·H, b·H))</c> for translate fractions <c>(a, b)</c>
/// (whole pixels, as torchvision); scale <c>s = U(minScale, maxScale)</c>.
/// </remarks>
public sealed class RandomAffine : ImageAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    /// <param name="degrees">The largest rotation in degrees, ≥ 0 (θ is uniform in [−degrees, degrees]). Default 0.</param>
    /// <param name="translateX">The largest horizontal shift as a fraction of W, in [0, 1]. Default 0.</param>
    /// <param name="translateY">The largest vertical shift as a fraction of H, in [0, 1]. Default 0.</param>
    /// <param name="minScale">The smallest scale, &gt; 0. Default 1.</param>
    /// <param name="maxScale">The largest scale, ≥ <paramref name="minScale"/>. Default 1.</param>
    /// <param name="fill">The value outside the source. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public RandomAffine(double degrees = 0, double translateX = 0, double translateY = 0, double minScale = 1, double maxScale = 1, float fill = 0f)
    {
        CheckRange(0, degrees, nameof(degrees));
        CheckRange(translateX, 1, nameof(translateX));
        CheckRange(translateY, 1, nameof(translateY));
        CheckRange(minScale, maxScale, nameof(minScale), double.Epsilon);
        (Degrees, TranslateX, TranslateY, MinScale, MaxScale, Fill) = (degrees, translateX, translateY, minScale, maxScale, fill);
    }

    /// <summary>The largest rotation in degrees.</summary>
    public double Degrees { get; }

    /// <summary>The largest horizontal shift, as a fraction of the width.</summary>
    public double TranslateX { get; }

    /// <summary>The largest vertical shift, as a fraction of the height.</summary>
    public double TranslateY { get; }

    /// <summary>The smallest scale.</summary>
    public double MinScale { get; }

    /// <summary>The largest scale.</summary>
    public double MaxScale { get; }

    /// <summary>The value outside the source.</summary>
    public float Fill { get; }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        double angle = Uniform(rng, -Degrees, Degrees);
        double tx = Math.Round(Uniform(rng, -TranslateX * width, TranslateX * width));
        double ty = Math.Round(Uniform(rng, -TranslateY * height, TranslateY * height));
        double scale = Uniform(rng, MinScale, MaxScale);
        int n = channels * height * width;
        image[..n].CopyTo(scratch);
        ImageGeometry.Affine(scratch[..n], image, channels, height, width, angle, scale, tx, ty, Fill);
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomAffine(degrees: {Degrees}, translate: ({TranslateX}, {TranslateY}), scale: [{MinScale}, {MaxScale}])";
}
