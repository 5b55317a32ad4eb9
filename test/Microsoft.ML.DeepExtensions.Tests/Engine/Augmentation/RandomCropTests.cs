using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary><see cref="RandomCrop"/>: a zero-filled crop of the padded photo at the drawn offset, covering every offset in [−p, p]².</summary>
[TestClass]
public sealed class RandomCropTests
{
    [TestMethod]
    public void EachResultIsTheCropAtTheDocumentedDrawnOffset()
    {
        const int size = 48, padding = 3;
        float[] source = PpmImage.Photo("astronaut").CenterSquare(size);
        var crop = new RandomCrop(padding);
        var scratch = new float[source.Length];
        var seen = new HashSet<(int, int)>();
        for (ulong seed = 0; seed < 300; seed++)
        {
            var image = (float[])source.Clone();
            crop.Apply(image, 3, size, size, new Rng(seed), scratch);
            var draws = new Rng(seed);
            int dy = draws.NextInt(2 * padding + 1) - padding, dx = draws.NextInt(2 * padding + 1) - padding;
            var expected = new float[source.Length];
            ImageGeometry.Crop(source, expected, 3, size, size, dy, dx);
            image.Should().Equal(expected, $"seed {seed}: offset ({dy}, {dx})");
            seen.Add((dy, dx));
        }
        seen.Should().HaveCount((2 * padding + 1) * (2 * padding + 1), "300 draws cover all 49 offsets");
    }

    [TestMethod]
    public void ZeroPaddingIsTheIdentity()
    {
        float[] source = PpmImage.Photo("coffee").CenterSquare(32), image = (float[])source.Clone();
        new RandomCrop(0).Apply(image, 3, 32, 32, new Rng(1), new float[image.Length]);
        image.Should().Equal(source);
        var negative = () => new RandomCrop(-1);
        negative.Should().Throw<ArgumentOutOfRangeException>();
    }
}
