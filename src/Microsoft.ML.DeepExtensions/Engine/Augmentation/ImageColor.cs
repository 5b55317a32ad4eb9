namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// The colour kernels of image augmentation, with torchvision's definitions (<c>transforms.functional.adjust_*</c>), on
/// one image <c>(C, H, W)</c> with <c>C = 3</c> (R, G, B planes) or <c>C = 1</c> (grey), values in
/// <c>[0, maxValue]</c> (1 for images scaled to [0, 1], 255 for raw bytes).
/// </summary>
/// <remarks>
/// <para>Every adjustment but hue is a blend <c>out = clamp(f·x + (1 − f)·d, 0, maxValue)</c> of the image <c>x</c> with a
/// degenerate image <c>d</c>:</para>
/// <list type="bullet">
/// <item><b>brightness</b>: <c>d = 0</c> (black), so <c>out = clamp(f·x)</c>;</item>
/// <item><b>contrast</b>: <c>d = mean(gray(x))</c>, the mean grey level of the whole image (a constant);</item>
/// <item><b>saturation</b>: <c>d = gray(x)</c>, the pixel's own grey level (a no-op for one channel);</item>
/// </list>
/// <para>where <c>gray = 0.299·R + 0.587·G + 0.114·B</c> (ITU-R BT.601-2 luma; the grey image itself when
/// <c>C = 1</c>). <b>Hue</b> converts each pixel to HSV, adds the factor to the hue <c>h ∈ [0, 1)</c> modulo 1 and
/// converts back (a no-op for one channel; values are not clamped, as torchvision). <c>f = 1</c> (hue factor 0)
/// leaves the image unchanged.</para>
/// </remarks>
public static class ImageColor
{
    /// <summary>The luma weight of red, ITU-R BT.601-2.</summary>
    public const float RedLuma = 0.299f;

    /// <summary>The luma weight of green, ITU-R BT.601-2.</summary>
    public const float GreenLuma = 0.587f;

    /// <summary>The luma weight of blue, ITU-R BT.601-2.</summary>
    public const float BlueLuma = 0.114f;

    /// <summary>Writes the grey level <c>0.299·R + 0.587·G + 0.114·B</c> (or the single channel) of each pixel to <paramref name="gray"/> <c>(H·W)</c>.</summary>
    /// <exception cref="ArgumentException">The image has neither 1 nor 3 channels, or a span is too short.</exception>
    public static void Grayscale(ReadOnlySpan<float> image, int channels, int height, int width, Span<float> gray)
    {
        CheckColourImage(image.Length, channels, height, width);
        int n = height * width;
        if (gray.Length < n) throw new ArgumentException($"The grey buffer holds {gray.Length} values, fewer than H·W = {n}.", nameof(gray));
        if (channels == 1)
        {
            image[..n].CopyTo(gray);
            return;
        }
        for (int i = 0; i < n; i++)
            gray[i] = RedLuma * image[i] + GreenLuma * image[n + i] + BlueLuma * image[2 * n + i];
    }

    /// <summary>Brightness: <c>out = clamp(f·x, 0, maxValue)</c> (blend with black).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite.</exception>
    public static void AdjustBrightness(Span<float> image, int channels, int height, int width, float factor, float maxValue = 1f)
    {
        CheckColourImage(image.Length, channels, height, width);
        CheckFactor(factor, nameof(factor));
        foreach (ref float v in image[..(channels * height * width)])
            v = Math.Clamp(factor * v, 0f, maxValue);
    }

    /// <summary>Contrast: <c>out = clamp(f·x + (1 − f)·m, 0, maxValue)</c>, <c>m</c> the mean grey level of the image (float64 sum).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite.</exception>
    public static void AdjustContrast(Span<float> image, int channels, int height, int width, float factor, float maxValue = 1f)
    {
        CheckColourImage(image.Length, channels, height, width);
        CheckFactor(factor, nameof(factor));
        int n = height * width;
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += channels == 1 ? image[i] : RedLuma * image[i] + GreenLuma * image[n + i] + BlueLuma * image[2 * n + i];
        float offset = (1f - factor) * (float)(sum / n);
        foreach (ref float v in image[..(channels * n)])
            v = Math.Clamp(factor * v + offset, 0f, maxValue);
    }

    /// <summary>Saturation: <c>out = clamp(f·x + (1 − f)·gray, 0, maxValue)</c> per pixel; a no-op for one channel.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is negative or not finite.</exception>
    public static void AdjustSaturation(Span<float> image, int channels, int height, int width, float factor, float maxValue = 1f)
    {
        CheckColourImage(image.Length, channels, height, width);
        CheckFactor(factor, nameof(factor));
        if (channels == 1) return;
        int n = height * width;
        for (int i = 0; i < n; i++)
        {
            float g = (1f - factor) * (RedLuma * image[i] + GreenLuma * image[n + i] + BlueLuma * image[2 * n + i]);
            image[i] = Math.Clamp(factor * image[i] + g, 0f, maxValue);
            image[n + i] = Math.Clamp(factor * image[n + i] + g, 0f, maxValue);
            image[2 * n + i] = Math.Clamp(factor * image[2 * n + i] + g, 0f, maxValue);
        }
    }

    /// <summary>
    /// Hue: rotates each pixel's hue by <paramref name="hueFactor"/> turns in HSV space (<c>h' = (h + f) mod 1</c>; S
    /// and V unchanged); a no-op for one channel.
    /// </summary>
    /// <remarks>
    /// RGB → HSV: <c>V = max</c>, <c>S = (max − min)/max</c>, <c>h</c> = the usual hexcone hue in turns; HSV → RGB:
    /// <c>i = ⌊6h⌋</c>, <c>f = 6h − i</c>, <c>p = V(1 − S)</c>, <c>q = V(1 − S·f)</c>, <c>t = V(1 − S(1 − f))</c>, then
    /// (V,t,p), (q,V,p), (p,V,t), (p,q,V), (t,p,V), (V,p,q) for <c>i</c> = 0..5. Computed in float64.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="hueFactor"/> is outside [−0.5, 0.5].</exception>
    public static void AdjustHue(Span<float> image, int channels, int height, int width, float hueFactor)
    {
        CheckColourImage(image.Length, channels, height, width);
        if (!(hueFactor >= -0.5f && hueFactor <= 0.5f))
            throw new ArgumentOutOfRangeException(nameof(hueFactor), hueFactor, "The hue factor must be in [-0.5, 0.5].");
        if (channels == 1) return;
        int n = height * width;
        for (int i = 0; i < n; i++)
        {
            var (h, s, v) = RgbToHsv(image[i], image[n + i], image[2 * n + i]);
            h += hueFactor;
            h -= Math.Floor(h);
            var (r, g, b) = HsvToRgb(h, s, v);
            image[i] = (float)r;
            image[n + i] = (float)g;
            image[2 * n + i] = (float)b;
        }
    }

    /// <summary>RGB → HSV (hue in turns, [0, 1)).</summary>
    public static (double H, double S, double V) RgbToHsv(double r, double g, double b)
    {
        double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b)), delta = max - min;
        double s = max > 0 ? delta / max : 0, h = 0;
        if (delta > 0)
        {
            if (max == r) h = (g - b) / delta;
            else if (max == g) h = 2 + (b - r) / delta;
            else h = 4 + (r - g) / delta;
            h /= 6;
            h -= Math.Floor(h);
        }
        return (h, s, max);
    }

    /// <summary>HSV (hue in turns) → RGB.</summary>
    public static (double R, double G, double B) HsvToRgb(double h, double s, double v)
    {
        double h6 = h * 6;
        int i = (int)Math.Floor(h6);
        double f = h6 - i;
        i %= 6;
        if (i < 0) i += 6;
        double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        return i switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
    }

    /// <summary>Throws unless the image has 1 or 3 channels and fits the span.</summary>
    internal static void CheckColourImage(int length, int channels, int height, int width)
    {
        ImageGeometry.CheckImage(length, channels, height, width, "image");
        if (channels is not (1 or 3))
            throw new ArgumentException($"Colour adjustments need 1 (grey) or 3 (RGB) channels, got {channels}.", "image");
    }

    private static void CheckFactor(float factor, string name)
    {
        if (!(factor >= 0 && float.IsFinite(factor)))
            throw new ArgumentOutOfRangeException(name, factor, "The factor must be finite and >= 0.");
    }
}
