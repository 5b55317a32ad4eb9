namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Random changes of brightness, contrast, saturation and hue (torchvision <c>ColorJitter</c>), applied in a random
/// order with the formulas of <see cref="ImageColor"/>. Images have 3 channels (R, G, B) or 1 (grey; saturation and
/// hue are then no-ops), with values in <c>[0, maxValue]</c>.
/// </summary>
/// <remarks>
/// <para>Factors: brightness <c>f_b = U(max(0, 1 − b), 1 + b)</c>, contrast <c>f_c = U(max(0, 1 − c), 1 + c)</c>,
/// saturation <c>f_s = U(max(0, 1 − s), 1 + s)</c>, hue <c>f_h = U(−h, h)</c>; an adjustment whose setting is 0 is
/// skipped (no draw).</para>
/// <para><b>Draws:</b> a random order of the four adjustments (a Fisher–Yates shuffle of [brightness, contrast,
/// saturation, hue], as torchvision's <c>randperm(4)</c>), then one <see cref="Rng.NextDouble"/> per enabled
/// adjustment in brightness, contrast, saturation, hue order.</para>
/// </remarks>
public sealed class ColorJitter : ImageAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    /// <param name="brightness">b ≥ 0: the brightness factor is uniform in [max(0, 1 − b), 1 + b]. Default 0 (unchanged).</param>
    /// <param name="contrast">c ≥ 0, likewise for contrast. Default 0.</param>
    /// <param name="saturation">s ≥ 0, likewise for saturation. Default 0.</param>
    /// <param name="hue">h in [0, 0.5]: the hue shift is uniform in [−h, h] turns. Default 0.</param>
    /// <param name="maxValue">The largest pixel value (results are clamped to [0, maxValue]): 1 for images in [0, 1], 255 for bytes. Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public ColorJitter(float brightness = 0f, float contrast = 0f, float saturation = 0f, float hue = 0f, float maxValue = 1f)
    {
        CheckRange(0, brightness, nameof(brightness));
        CheckRange(0, contrast, nameof(contrast));
        CheckRange(0, saturation, nameof(saturation));
        CheckRange(hue, 0.5, nameof(hue));
        if (!(maxValue > 0 && float.IsFinite(maxValue))) throw new ArgumentOutOfRangeException(nameof(maxValue), maxValue, "maxValue must be finite and > 0.");
        (Brightness, Contrast, Saturation, Hue, MaxValue) = (brightness, contrast, saturation, hue, maxValue);
    }

    /// <summary>The brightness setting b.</summary>
    public float Brightness { get; }

    /// <summary>The contrast setting c.</summary>
    public float Contrast { get; }

    /// <summary>The saturation setting s.</summary>
    public float Saturation { get; }

    /// <summary>The hue setting h (turns).</summary>
    public float Hue { get; }

    /// <summary>The largest pixel value.</summary>
    public float MaxValue { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The image has neither 1 nor 3 channels.</exception>
    public override void CheckShape(int channels, int height, int width)
    {
        base.CheckShape(channels, height, width);
        if (channels is not (1 or 3))
            throw new ArgumentException($"ColorJitter needs images of 1 (grey) or 3 (RGB) channels, got {channels}.");
    }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Span<int> order = [0, 1, 2, 3];
        rng.Shuffle(order);
        float fb = Factor(rng, Brightness), fc = Factor(rng, Contrast), fs = Factor(rng, Saturation);
        float fh = Hue > 0 ? (float)Uniform(rng, -(double)Hue, Hue) : 0f;
        foreach (int op in order)
        {
            switch (op)
            {
                case 0 when Brightness > 0: ImageColor.AdjustBrightness(image, channels, height, width, fb, MaxValue); break;
                case 1 when Contrast > 0: ImageColor.AdjustContrast(image, channels, height, width, fc, MaxValue); break;
                case 2 when Saturation > 0: ImageColor.AdjustSaturation(image, channels, height, width, fs, MaxValue); break;
                case 3 when Hue > 0: ImageColor.AdjustHue(image, channels, height, width, fh); break;
            }
        }
    }

    /// <summary><c>U(max(0, 1 − s), 1 + s)</c> in float64, or 1 (no draw) when <c>s = 0</c>.</summary>
    private static float Factor(Rng rng, double setting) =>
        setting > 0 ? (float)Uniform(rng, Math.Max(0, 1 - setting), 1 + setting) : 1f;

    /// <inheritdoc />
    public override string ToString() => $"ColorJitter(brightness: {Brightness}, contrast: {Contrast}, saturation: {Saturation}, hue: {Hue})";
}
