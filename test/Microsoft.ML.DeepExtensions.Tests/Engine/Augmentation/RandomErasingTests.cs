using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary><see cref="RandomErasing"/> (Zhong et al. 2020): one rectangle of every channel set to the value, of area and ratio in range; the rest untouched.</summary>
[TestClass]
public sealed class RandomErasingTests
{
    private const int H = 60, W = 80;
    private static readonly float[] Source = PpmImage.Photo("astronaut").Crop(200, 200, H, W);

    [TestMethod]
    public void ErasesOneRectangleWithinTheRanges()
    {
        var erasing = new RandomErasing(p: 1f, value: -1f);
        for (ulong seed = 0; seed < 50; seed++)
        {
            var image = (float[])Source.Clone();
            erasing.Apply(image, 3, H, W, new Rng(seed), new float[image.Length]);
            var draws = new Rng(seed);
            draws.NextFloat().Should().BeLessThan(1f);
            var (top, left, h, w) = erasing.SampleBox(H, W, draws)!.Value;
            ((double)h * w / (H * W)).Should().BeInRange(0.015, 0.34);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < H; y++)
                    for (int x = 0; x < W; x++)
                    {
                        int i = (c * H + y) * W + x;
                        bool inside = y >= top && y < top + h && x >= left && x < left + w;
                        if (image[i] != (inside ? -1f : Source[i])) Assert.Fail($"seed {seed}: pixel ({c}, {y}, {x})");
                    }
        }
    }

    [TestMethod]
    public void ProbabilityZeroChangesNothingAndNoiseIsNotConstant()
    {
        var image = (float[])Source.Clone();
        new RandomErasing(p: 0f).Apply(image, 3, H, W, new Rng(0), new float[image.Length]);
        image.Should().Equal(Source);
        new RandomErasing(p: 1f, randomValues: true).Apply(image, 3, H, W, new Rng(0), new float[image.Length]);
        var changed = image.Where((v, i) => v != Source[i]).ToArray();
        changed.Length.Should().BeGreaterThan(H * W * 3 / 100);
        changed.Distinct().Count().Should().BeGreaterThan(changed.Length / 2, "N(0, 1) noise");
    }
}
