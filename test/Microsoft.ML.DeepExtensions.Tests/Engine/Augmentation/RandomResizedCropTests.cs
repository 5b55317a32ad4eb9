using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary><see cref="RandomResizedCrop"/>: boxes inside the image with area and ratio in range; the output is the bilinear resize of the drawn box.</summary>
[TestClass]
public sealed class RandomResizedCropTests
{
    [TestMethod]
    public void BoxesHaveTheirAreaAndRatioInRange()
    {
        var crop = new RandomResizedCrop(minScale: 0.25, maxScale: 0.75, minRatio: 0.5, maxRatio: 2);
        const int h = 300, w = 451;
        for (ulong seed = 0; seed < 500; seed++)
        {
            var (top, left, bh, bw) = crop.SampleBox(h, w, new Rng(seed));
            top.Should().BeGreaterThanOrEqualTo(0);
            left.Should().BeGreaterThanOrEqualTo(0);
            (top + bh).Should().BeLessThanOrEqualTo(h);
            (left + bw).Should().BeLessThanOrEqualTo(w);
            ((double)bh * bw / (h * w)).Should().BeInRange(0.24, 0.76, "area fraction, up to rounding of the sides");
            ((double)bw / bh).Should().BeInRange(0.48, 2.05, "aspect ratio, up to rounding");
        }
    }

    [TestMethod]
    public void OutputIsTheResizedDrawnBox()
    {
        var ppm = PpmImage.Photo("coffee");
        float[] source = ppm.Crop(100, 200, 64, 80);
        var crop = new RandomResizedCrop();
        for (ulong seed = 0; seed < 10; seed++)
        {
            var image = (float[])source.Clone();
            crop.Apply(image, 3, 64, 80, new Rng(seed), new float[image.Length]);
            var (top, left, bh, bw) = crop.SampleBox(64, 80, new Rng(seed));
            var expected = new float[source.Length];
            ImageGeometry.ResizedCrop(source, 3, 64, 80, top, left, bh, bw, expected, 64, 80);
            image.Should().Equal(expected);
        }
    }

    [TestMethod]
    public void ImpossibleRatiosFallBackToTheLargestCentralBox()
    {
        var crop = new RandomResizedCrop(minScale: 1, maxScale: 1, minRatio: 2, maxRatio: 3);
        crop.SampleBox(100, 100, new Rng(0)).Should().Be((25, 0, 50, 100), "the widest box of ratio 2: 100 wide, 50 high, centred");
    }
}
