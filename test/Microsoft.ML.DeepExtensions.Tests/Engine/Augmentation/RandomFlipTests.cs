using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary><see cref="RandomHorizontalFlip"/> and <see cref="RandomVerticalFlip"/>: exact flips with probability p.</summary>
[TestClass]
public sealed class RandomFlipTests
{
    private const int Size = 24;
    private static readonly float[] Source = PpmImage.Photo("rocket").CenterSquare(Size);

    private static int CountFlips(ImageAugmentation flip, Action<float[]> exactFlip, int trials)
    {
        var flipped = (float[])Source.Clone();
        exactFlip(flipped);
        int count = 0;
        for (int seed = 0; seed < trials; seed++)
        {
            var image = (float[])Source.Clone();
            flip.Apply(image, 3, Size, Size, new Rng((ulong)seed), new float[image.Length]);
            if (image.SequenceEqual(flipped)) count++;
            else image.Should().Equal(Source, "an image is either flipped exactly or unchanged");
        }
        return count;
    }

    [TestMethod]
    public void HorizontalFlipHappensWithProbabilityP()
    {
        void Flip(float[] x) => ImageGeometry.FlipHorizontal(x, 3, Size, Size);
        CountFlips(new RandomHorizontalFlip(1f), Flip, 20).Should().Be(20);
        CountFlips(new RandomHorizontalFlip(0f), Flip, 20).Should().Be(0);
        CountFlips(new RandomHorizontalFlip(), Flip, 1000).Should().BeInRange(440, 560, "p = 0.5 over 1,000 draws (±3.8σ)");
    }

    [TestMethod]
    public void VerticalFlipHappensWithProbabilityP()
    {
        void Flip(float[] x) => ImageGeometry.FlipVertical(x, 3, Size, Size);
        CountFlips(new RandomVerticalFlip(1f), Flip, 20).Should().Be(20);
        CountFlips(new RandomVerticalFlip(0.2f), Flip, 1000).Should().BeInRange(150, 250, "p = 0.2 over 1,000 draws (±4σ)");
        var bad = () => new RandomVerticalFlip(1.5f);
        bad.Should().Throw<ArgumentOutOfRangeException>();
    }
}
