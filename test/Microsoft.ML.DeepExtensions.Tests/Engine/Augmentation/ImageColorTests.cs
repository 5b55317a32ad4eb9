using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary>
/// <see cref="ImageColor"/> on the shipped photos against its documented formulas (torchvision's): brightness blends
/// with black, contrast with the mean grey level, saturation with the grey image (luma 0.299, 0.587, 0.114), hue
/// rotates in HSV. Expected values are computed here in float64.
/// </summary>
[TestClass]
public sealed class ImageColorTests
{
    private const double Tolerance = 1e-6;

    private static (float[] Image, int H, int W) Photo(string name)
    {
        var ppm = PpmImage.Photo(name);
        return (ppm.ToChw(), ppm.Height, ppm.Width);
    }

    private static double Gray(float[] image, int n, int i) => 0.299 * image[i] + 0.587 * image[n + i] + 0.114 * image[2 * n + i];

    private static void ShouldMatch(float[] actual, Func<int, double> expected, string what)
    {
        for (int i = 0; i < actual.Length; i++)
            if (Math.Abs(actual[i] - expected(i)) > Tolerance)
                Assert.Fail($"{what}: value {i} is {actual[i]}, the formula gives {expected(i)}");
    }

    [TestMethod]
    [DataRow("astronaut", 1.4f)]
    [DataRow("coffee", 0.35f)]
    public void BrightnessScalesTowardsBlackAndClamps(string photo, float factor)
    {
        var (source, h, w) = Photo(photo);
        var image = (float[])source.Clone();
        ImageColor.AdjustBrightness(image, 3, h, w, factor);
        ShouldMatch(image, i => Math.Clamp(factor * (double)source[i], 0, 1), "brightness");
        if (factor > 1) image.Should().Contain(1f, "bright pixels clamp at 1");
    }

    [TestMethod]
    [DataRow("chelsea", 1.6f)]
    [DataRow("rocket", 0.4f)]
    [DataRow("rocket", 0f)]
    public void ContrastBlendsWithTheMeanGreyLevel(string photo, float factor)
    {
        var (source, h, w) = Photo(photo);
        int n = h * w;
        double mean = Enumerable.Range(0, n).Average(i => Gray(source, n, i));
        var image = (float[])source.Clone();
        ImageColor.AdjustContrast(image, 3, h, w, factor);
        ShouldMatch(image, i => Math.Clamp(factor * (double)source[i] + (1 - factor) * mean, 0, 1), "contrast");
        if (factor == 0) image.Distinct().Should().ContainSingle("contrast 0 leaves the mean grey everywhere");
    }

    [TestMethod]
    [DataRow("astronaut", 1.8f)]
    [DataRow("coffee", 0.5f)]
    [DataRow("chelsea", 0f)]
    public void SaturationBlendsWithTheGreyImage(string photo, float factor)
    {
        var (source, h, w) = Photo(photo);
        int n = h * w;
        var image = (float[])source.Clone();
        ImageColor.AdjustSaturation(image, 3, h, w, factor);
        ShouldMatch(image, i => Math.Clamp(factor * (double)source[i] + (1 - factor) * Gray(source, n, i % n), 0, 1), "saturation");
    }

    [TestMethod]
    public void GrayscaleUsesTheBt601Luma()
    {
        var (source, h, w) = Photo("coffee");
        int n = h * w;
        var gray = new float[n];
        ImageColor.Grayscale(source, 3, h, w, gray);
        ShouldMatch(gray, i => Gray(source, n, i), "grey");
    }

    [TestMethod]
    public void HueRotatesInHsvKeepingSaturationAndValue()
    {
        float[] red = [1f, 0f, 0f];
        ImageColor.AdjustHue(red, 3, 1, 1, 1f / 3);
        red[0].Should().BeApproximately(0f, 1e-6f);
        red[1].Should().BeApproximately(1f, 1e-6f, "a third of a turn takes red to green");
        red[2].Should().BeApproximately(0f, 1e-6f);

        var (source, h, w) = Photo("chelsea");
        int n = h * w;
        var image = (float[])source.Clone();
        ImageColor.AdjustHue(image, 3, h, w, 0.2f);
        image.Should().NotEqual(source);
        int checkedHues = 0;
        for (int i = 0; i < n; i++)
        {
            float[] before = [source[i], source[n + i], source[2 * n + i]], after = [image[i], image[n + i], image[2 * n + i]];
            if (Math.Abs(after.Max() - before.Max()) > Tolerance) Assert.Fail($"pixel {i}: V = max changed");
            if (Math.Abs(after.Min() - before.Min()) > Tolerance) Assert.Fail($"pixel {i}: V(1 − S) = min changed");
            if (before.Max() - before.Min() <= 0.05) continue; // the hue of a near-grey pixel is ill-conditioned
            double turn = ImageColor.RgbToHsv(after[0], after[1], after[2]).H - ImageColor.RgbToHsv(before[0], before[1], before[2]).H - 0.2;
            if (Math.Abs(turn - Math.Round(turn)) > 1e-4) Assert.Fail($"pixel {i}: the hue moved by {turn + 0.2} (mod 1), not 0.2");
            checkedHues++;
        }
        checkedHues.Should().BeGreaterThan(n / 4);
        ImageColor.AdjustHue(image, 3, h, w, -0.2f);
        ShouldMatch(image, i => source[i], "hue +0.2 then −0.2");
    }

    [TestMethod]
    public void HsvConversionRoundTrips()
    {
        var (source, h, w) = Photo("rocket");
        int n = h * w;
        for (int i = 0; i < n; i += 7)
        {
            var (hh, s, v) = ImageColor.RgbToHsv(source[i], source[n + i], source[2 * n + i]);
            var (r, g, b) = ImageColor.HsvToRgb(hh, s, v);
            if (Math.Abs(r - source[i]) > 1e-9 || Math.Abs(g - source[n + i]) > 1e-9 || Math.Abs(b - source[2 * n + i]) > 1e-9)
                Assert.Fail($"pixel {i}: RGB → HSV → RGB gives ({r}, {g}, {b})");
        }
    }

    [TestMethod]
    public void GreyImagesUseTheirOwnMeanAndIgnoreSaturationAndHue()
    {
        float[] grey = [0.1f, 0.5f, 0.9f, 0.3f];
        var image = (float[])grey.Clone();
        ImageColor.AdjustSaturation(image, 1, 2, 2, 0f);
        ImageColor.AdjustHue(image, 1, 2, 2, 0.4f);
        image.Should().Equal(grey);
        ImageColor.AdjustContrast(image, 1, 2, 2, 0.5f);
        ShouldMatch(image, i => 0.5 * grey[i] + 0.5 * 0.45, "grey contrast");
        var twoChannels = () => ImageColor.AdjustBrightness(new float[8], 2, 2, 2, 1.2f);
        twoChannels.Should().Throw<ArgumentException>().WithMessage("*1 (grey) or 3 (RGB)*");
    }
}
