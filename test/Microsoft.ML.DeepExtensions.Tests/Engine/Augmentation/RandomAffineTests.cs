using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary><see cref="RandomAffine"/> and <see cref="RandomRotation"/>: the warp of <see cref="ImageGeometry.Affine"/> with the documented draws.</summary>
[TestClass]
public sealed class RandomAffineTests
{
    private const int Size = 40;
    private static readonly float[] Source = PpmImage.Photo("chelsea").CenterSquare(Size);

    [TestMethod]
    public void AffineWarpsWithTheDrawnAngleShiftAndScale()
    {
        var affine = new RandomAffine(degrees: 20, translateX: 0.1, translateY: 0.2, minScale: 0.8, maxScale: 1.2);
        for (ulong seed = 0; seed < 20; seed++)
        {
            var image = (float[])Source.Clone();
            affine.Apply(image, 3, Size, Size, new Rng(seed), new float[image.Length]);
            var draws = new Rng(seed);
            double angle = -20 + 40 * draws.NextDouble();
            double tx = Math.Round(-4 + 8 * draws.NextDouble()), ty = Math.Round(-8 + 16 * draws.NextDouble());
            double scale = 0.8 + 0.4 * draws.NextDouble();
            tx.Should().BeInRange(-4, 4);
            var expected = new float[Source.Length];
            ImageGeometry.Affine(Source, expected, 3, Size, Size, angle, scale, tx, ty);
            image.Should().Equal(expected, $"seed {seed}");
        }
    }

    [TestMethod]
    public void RotationDrawsOneAngleInRange()
    {
        var rotation = new RandomRotation(15);
        for (ulong seed = 0; seed < 10; seed++)
        {
            var image = (float[])Source.Clone();
            rotation.Apply(image, 3, Size, Size, new Rng(seed), new float[image.Length]);
            double angle = -15 + 30 * new Rng(seed).NextDouble();
            var expected = new float[Source.Length];
            ImageGeometry.Affine(Source, expected, 3, Size, Size, angle);
            image.Should().Equal(expected);
        }
    }

    [TestMethod]
    public void DefaultsAreTheIdentity()
    {
        var image = (float[])Source.Clone();
        new RandomAffine().Apply(image, 3, Size, Size, new Rng(3), new float[image.Length]);
        image.Should().Equal(Source);
        var bad = () => new RandomAffine(minScale: 0);
        bad.Should().Throw<ArgumentOutOfRangeException>();
        var badDegrees = () => new RandomRotation(-1);
        badDegrees.Should().Throw<ArgumentOutOfRangeException>();
    }
}
