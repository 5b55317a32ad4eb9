using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary><see cref="ColorJitter"/>: the <see cref="ImageColor"/> adjustments with the documented factor draws and a random order.</summary>
[TestClass]
public sealed class ColorJitterTests
{
    private const int Size = 32;
    private static readonly float[] Source = PpmImage.Photo("coffee").CenterSquare(Size);

    [TestMethod]
    public void BrightnessJitterScalesByTheDrawnFactor()
    {
        var jitter = new ColorJitter(brightness: 0.4f);
        for (ulong seed = 0; seed < 10; seed++)
        {
            var image = (float[])Source.Clone();
            jitter.Apply(image, 3, Size, Size, new Rng(seed), new float[image.Length]);
            var draws = new Rng(seed);
            draws.Shuffle<int>(new int[4]);
            double b = 0.4f; // U(1 − b, 1 + b) with the float setting
            float factor = (float)((1 - b) + ((1 + b) - (1 - b)) * draws.NextDouble());
            var expected = (float[])Source.Clone();
            ImageColor.AdjustBrightness(expected, 3, Size, Size, factor);
            image.Should().Equal(expected);
        }
    }

    [TestMethod]
    public void AllFourAdjustmentsApplyInTheDrawnOrder()
    {
        var jitter = new ColorJitter(0.3f, 0.3f, 0.3f, 0.1f);
        var orders = new HashSet<string>();
        for (ulong seed = 0; seed < 40; seed++)
        {
            var image = (float[])Source.Clone();
            jitter.Apply(image, 3, Size, Size, new Rng(seed), new float[image.Length]);
            var draws = new Rng(seed);
            Span<int> order = [0, 1, 2, 3];
            draws.Shuffle(order);
            double s = 0.3f, h = 0.1f;
            float Factor() => (float)((1 - s) + ((1 + s) - (1 - s)) * draws.NextDouble());
            float fb = Factor(), fc = Factor(), fs = Factor(), fh = (float)(-h + (h - -h) * draws.NextDouble());
            var expected = (float[])Source.Clone();
            foreach (int op in order)
            {
                if (op == 0) ImageColor.AdjustBrightness(expected, 3, Size, Size, fb);
                else if (op == 1) ImageColor.AdjustContrast(expected, 3, Size, Size, fc);
                else if (op == 2) ImageColor.AdjustSaturation(expected, 3, Size, Size, fs);
                else ImageColor.AdjustHue(expected, 3, Size, Size, fh);
            }
            image.Should().Equal(expected);
            orders.Add(string.Join("", order.ToArray()));
        }
        orders.Count.Should().BeGreaterThan(10, "the order is random");
    }

    [TestMethod]
    public void RejectsImagesThatAreNeitherGreyNorRgb()
    {
        var jitter = new ColorJitter(brightness: 0.2f);
        jitter.Invoking(j => j.CheckShape(4, 8, 8)).Should().Throw<ArgumentException>().WithMessage("*1 (grey) or 3 (RGB)*");
        jitter.Invoking(j => j.CheckShape(1, 8, 8)).Should().NotThrow();
        var badHue = () => new ColorJitter(hue: 0.6f);
        badHue.Should().Throw<ArgumentOutOfRangeException>();
    }
}
