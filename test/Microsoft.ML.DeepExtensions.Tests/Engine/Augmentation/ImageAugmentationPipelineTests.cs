using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary><see cref="ImageAugmentationPipeline"/>: steps in order from one generator, seeded per (seed, pass, row).</summary>
[TestClass]
public sealed class ImageAugmentationPipelineTests
{
    private const int Size = 64;
    private static readonly float[] Source = PpmImage.Photo("chelsea").CenterSquare(Size);

    private static ImageAugmentationPipeline Full() => new(
        new RandomResizedCrop(0.5), new RandomCrop(4), new RandomHorizontalFlip(), new RandomVerticalFlip(0.1f),
        new RandomAffine(15, 0.1, 0.1, 0.9, 1.1), new ColorJitter(0.2f, 0.2f, 0.2f, 0.05f), new RandomErasing());

    private static float[] Augment(ImageAugmentationPipeline pipeline, ulong seed, long pass, long row)
    {
        var image = (float[])Source.Clone();
        pipeline.Apply(image, 3, Size, Size, seed, pass, row, new float[image.Length]);
        return image;
    }

    [TestMethod]
    public void TheSameSeedPassAndRowGiveTheSameImage()
    {
        var pipeline = Full();
        var first = Augment(pipeline, 7, 2, 11);
        Augment(pipeline, 7, 2, 11).Should().Equal(first);
        Augment(Full(), 7, 2, 11).Should().Equal(first, "a new pipeline with the same settings repeats it");
        first.Should().NotEqual(Source);
        Augment(pipeline, 8, 2, 11).Should().NotEqual(first, "another seed");
        Augment(pipeline, 7, 3, 11).Should().NotEqual(first, "another pass (epoch or copy)");
        Augment(pipeline, 7, 2, 12).Should().NotEqual(first, "another row");
    }

    [TestMethod]
    public void StepsApplyInOrderFromOneGenerator()
    {
        var crop = new RandomCrop(2);
        var flip = new RandomHorizontalFlip(0.5f);
        var image = (float[])Source.Clone();
        new ImageAugmentationPipeline(crop, flip).Apply(image, 3, Size, Size, new Rng(42), new float[image.Length]);
        var expected = (float[])Source.Clone();
        var rng = new Rng(42);
        crop.Apply(expected, 3, Size, Size, rng, new float[expected.Length]);
        flip.Apply(expected, 3, Size, Size, rng, new float[expected.Length]);
        image.Should().Equal(expected);
    }

    [TestMethod]
    public void AnEmptyPipelineIsTheIdentityAndBadInputThrows()
    {
        Augment(new ImageAugmentationPipeline(), 1, 1, 1).Should().Equal(Source);
        var nullStep = () => new ImageAugmentationPipeline(new RandomCrop(), null!);
        nullStep.Should().Throw<ArgumentException>().WithMessage("*Step 1*");
        var shortScratch = () => Full().Apply(new float[3 * 8 * 8], 3, 8, 8, new Rng(0), new float[10]);
        shortScratch.Should().Throw<ArgumentException>().WithMessage("*scratch*");
    }

    [TestMethod]
    public void SeedsDependOnlyOnSeedPassAndRow()
    {
        AugmentationSeed.ForExample(1, 2, 3).Should().Be(Rng.SplitMix64(Rng.SplitMix64(1, 2), 3));
        AugmentationSeed.ForExample(1, 2, 3).Should().NotBe(AugmentationSeed.ForExample(1, 3, 2));
    }
}
