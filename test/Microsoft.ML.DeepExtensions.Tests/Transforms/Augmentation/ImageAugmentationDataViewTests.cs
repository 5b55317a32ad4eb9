using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms.Augmentation;

/// <summary>
/// <c>mlContext.Data.AugmentImages</c>: a lazy view of augmented copies of each row, computed from (seed, copy, row),
/// so two cursors give identical rows; other columns are repeated; bad arguments fail with the column's name.
/// </summary>
[TestClass]
public sealed class ImageAugmentationDataViewTests
{
    private const int Size = 96;

    private sealed class PhotoRow
    {
        [VectorType(3, Size, Size)]
        public float[] Image { get; set; } = [];

        public string Name { get; set; } = "";
    }

    private sealed class FlatRow
    {
        [VectorType(12)]
        public float[] Image { get; set; } = [];
    }

    private static IDataView Photos(MLContext ml) => ml.Data.LoadFromEnumerable(
        PpmImage.Photos.Select(name => new PhotoRow { Image = PpmImage.Photo(name).CenterSquare(Size), Name = name }).ToList());

    private static ImageAugmentationPipeline Pipeline() =>
        new(new RandomResizedCrop(0.3), new RandomHorizontalFlip(), new RandomAffine(10, 0.05, 0.05), new ColorJitter(0.3f, 0.3f, 0.3f, 0.05f), new RandomErasing());

    [TestMethod]
    public void CopiesAreAugmentedFromSeedCopyAndRowAndRepeatWhenCursoredTwice()
    {
        var ml = new MLContext(seed: 0);
        var source = Photos(ml);
        var view = ml.Data.AugmentImages(source, Pipeline(), "Image", copies: 3, keepOriginal: true, seed: 5);

        view.GetRowCount().Should().Be(16);
        view.Schema["Image"].Type.Should().Be(source.Schema["Image"].Type, "the schema is the source's");
        var first = view.GetColumn<float[]>("Image").ToArray();
        var second = view.GetColumn<float[]>("Image").ToArray();
        first.Should().HaveCount(16);
        for (int i = 0; i < first.Length; i++) second[i].Should().Equal(first[i], $"row {i} is the same when cursored again");
        view.GetColumn<string>("Name").Should().Equal(PpmImage.Photos.SelectMany(n => Enumerable.Repeat(n, 4)));

        for (int r = 0; r < 4; r++)
        {
            float[] original = PpmImage.Photo(PpmImage.Photos[r]).CenterSquare(Size);
            first[4 * r].Should().Equal(original, "keepOriginal puts the row itself first");
            for (int k = 0; k < 3; k++)
            {
                var expected = (float[])original.Clone();
                Pipeline().Apply(expected, 3, Size, Size, 5, k, r, new float[expected.Length]);
                first[4 * r + 1 + k].Should().Equal(expected, $"copy {k} of row {r}");
                first[4 * r + 1 + k].Should().NotEqual(original);
            }
        }
    }

    [TestMethod]
    public void InterleavedCursorsAndColumnSubsetsAgree()
    {
        var ml = new MLContext(seed: 0);
        var view = ml.Data.AugmentImages(Photos(ml), Pipeline(), "Image", copies: 2, seed: 1);
        var column = view.Schema["Image"];
        using var a = view.GetRowCursor([column]);
        using var b = view.GetRowCursor(view.Schema);
        var getA = a.GetGetter<VBuffer<float>>(column);
        var getB = b.GetGetter<VBuffer<float>>(column);
        VBuffer<float> va = default, vb = default;
        int rows = 0;
        while (a.MoveNext())
        {
            b.MoveNext().Should().BeTrue();
            getA(ref va);
            getB(ref vb);
            vb.DenseValues().Should().Equal(va.DenseValues());
            a.Position.Should().Be(rows++);
        }
        rows.Should().Be(8);
        b.MoveNext().Should().BeFalse();
        view.GetColumn<string>("Name").Should().HaveCount(8, "reading only the other columns works");
    }

    [TestMethod]
    public void TheDefaultSeedComesFromTheContext()
    {
        float[][] Read(int contextSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            return ml.Data.AugmentImages(Photos(ml), Pipeline(), "Image").GetColumn<float[]>("Image").ToArray();
        }
        var one = Read(1);
        Read(1).Should().BeEquivalentTo(one, o => o.WithStrictOrdering());
        Read(2)[0].Should().NotEqual(one[0]);
    }

    [TestMethod]
    public void ShapeComesFromTheDimensionsOrTheArgument()
    {
        var ml = new MLContext(seed: 0);
        var flat = ml.Data.LoadFromEnumerable(new[] { new FlatRow { Image = Enumerable.Range(0, 12).Select(i => (float)i).ToArray() } });
        var noShape = () => ml.Data.AugmentImages(flat, Pipeline(), "Image");
        noShape.Should().Throw<ArgumentException>().WithMessage("*Image*ImageShape*");
        var view = ml.Data.AugmentImages(flat, new ImageAugmentationPipeline(new RandomHorizontalFlip(1f)), "Image", imageShape: new ImageShape(1, 3, 4));
        view.GetColumn<float[]>("Image").Single().Should().Equal(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8);
        var wrongShape = () => ml.Data.AugmentImages(flat, Pipeline(), "Image", imageShape: new ImageShape(3, 3, 3));
        wrongShape.Should().Throw<ArgumentException>().WithMessage("*holds 27 values*12*");
        var colourOnFour = () => ml.Data.AugmentImages(flat, new ImageAugmentationPipeline(new ColorJitter(0.1f)), "Image", imageShape: new ImageShape(4, 1, 3));
        colourOnFour.Should().Throw<ArgumentException>().WithMessage("*1 (grey) or 3 (RGB)*");
    }

    [TestMethod]
    public void BadArgumentsNameTheProblem()
    {
        var ml = new MLContext(seed: 0);
        var photos = Photos(ml);
        var missing = () => ml.Data.AugmentImages(photos, Pipeline(), "Pixels");
        missing.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*no column 'Pixels'*");
        var text = () => ml.Data.AugmentImages(photos, Pipeline(), "Name");
        text.Should().Throw<ArgumentException>().WithMessage("*'Name'*known-size vector of Single*");
        var negative = () => ml.Data.AugmentImages(photos, Pipeline(), "Image", copies: -1);
        negative.Should().Throw<ArgumentOutOfRangeException>();
        var empty = () => ml.Data.AugmentImages(photos, Pipeline(), "Image", copies: 0);
        empty.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*empty*");
        ml.Data.AugmentImages(photos, Pipeline(), "Image", copies: 0, keepOriginal: true).GetRowCount().Should().Be(4);
    }

    [TestMethod]
    public void TheViewTrainsAConvNet()
    {
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(MnistRow.Load("train", 300));
        var augmented = ml.Data.AugmentImages(train, new ImageAugmentationPipeline(new RandomCrop(2), new RandomRotation(10)), copies: 2, keepOriginal: true);
        using var model = ml.Transforms.Conversion.MapValueToKey("Label", "Digit")
            .Append(ml.MulticlassClassification.Trainers.ConvNet(numberOfEpochs: 1))
            .Fit(augmented);
        model.LastTransformer.Model.History.Epochs.Should().ContainSingle();
        ml.Data.CreateEnumerable<MnistRow>(augmented, reuseRowObject: false).Should().HaveCount(900);
    }
}
