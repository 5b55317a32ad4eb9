using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// Where the ConvNet trainers get the image shape <c>(C, H, W)</c>: from the feature column's dimensions
/// (<c>(C, H, W)</c> as ExtractPixels declares them, or <c>(H, W)</c> for one channel) or from
/// <c>Options.ImageShape</c> for a flat vector; and the errors when neither gives a shape that fits the column.
/// </summary>
[TestClass]
public sealed class ConvNetImageShapeTests
{
    private static IDataView Images(MLContext ml, VectorDataViewType featureType, int rows = 48)
    {
        var random = new Random(1);
        int size = featureType.Size;
        var data = Enumerable.Range(0, rows).Select(i => new BarImageMulticlassRow
        {
            // Each channel plane holds a bar image (so multi-channel columns hold C copies with their own noise).
            Features = Enumerable.Range(0, size / (BarImages.Size * BarImages.Size)).SelectMany(_ => BarImages.Draw(random, i % 3, 1f)).ToArray(),
            Label = (uint)(i % 3),
        });
        var schema = SchemaDefinition.Create(typeof(BarImageMulticlassRow));
        schema[nameof(BarImageMulticlassRow.Features)].ColumnType = featureType;
        return ml.Data.LoadFromEnumerable(data.ToList(), schema);
    }

    private static VectorDataViewType Vector(params int[] dimensions) => new(NumberDataViewType.Single, dimensions);

    private static MulticlassNeuralPredictionTransformer Fit(MLContext ml, IDataView data, ImageShape? shape = null) =>
        ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options { ImageShape = shape, NumberOfEpochs = 1, BatchSize = 16 }).Fit(data);

    private static Conv2d FirstConvolution(MulticlassNeuralPredictionTransformer model) => model.Model.Network.Layers.OfType<Conv2d>().First();

    [TestMethod]
    public void ShapeComesFromChannelHeightWidthDimensionsOfTheColumn()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(BarImages.Multiclass(48, seed: 1)); // [VectorType(1, 12, 12)]
        data.Schema["Features"].Type.Should().Be(Vector(1, 12, 12), "precondition");
        using var model = Fit(ml, data);
        model.Model.InputShape.Should().Equal([1, 12, 12]);
        FirstConvolution(model).InChannels.Should().Be(1);
    }

    [TestMethod]
    public void ThreeChannelDimensionsGiveAThreeChannelNetwork()
    {
        var ml = new MLContext(seed: 0);
        using var model = Fit(ml, Images(ml, Vector(3, 12, 12)));
        model.Model.InputShape.Should().Equal([3, 12, 12]);
        FirstConvolution(model).InChannels.Should().Be(3);
    }

    [TestMethod]
    public void HeightWidthDimensionsMeanOneChannel()
    {
        var ml = new MLContext(seed: 0);
        using var model = Fit(ml, Images(ml, Vector(12, 12)));
        model.Model.InputShape.Should().Equal([1, 12, 12]);
    }

    [TestMethod]
    public void OptionsImageShapeDescribesAFlatVector()
    {
        var ml = new MLContext(seed: 0);
        using var model = Fit(ml, Images(ml, Vector(3 * 144)), new ImageShape(3, 12, 12));
        model.Model.InputShape.Should().Equal([3, 12, 12]);
        FirstConvolution(model).InChannels.Should().Be(3);
    }

    [TestMethod]
    [DataRow(new[] { 1, 12, 24 }, new[] { 2, 12, 12 })]
    [DataRow(new[] { 1, 12, 12 }, new[] { 4, 6, 6 })]
    [DataRow(new[] { 1, 12, 12 }, new[] { 1, 6, 24 })]
    [DataRow(new[] { 12, 12 }, new[] { 4, 6, 6 })]
    public void ImageShapeThatContradictsTheColumnDimensionsNamesBothShapes(int[] dimensions, int[] shape)
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Images(ml, Vector(dimensions)), new ImageShape(shape[0], shape[1], shape[2]));
        var e = fit.Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("ImageShape");
        e.Message.Should().Contain($"ImageShape ({string.Join(", ", shape)})").And.Contain($"({string.Join(", ", dimensions)})").And.Contain("'Features'");
    }

    [TestMethod]
    [DataRow(new[] { 1, 12, 12 })]
    [DataRow(new[] { 12, 12 })]
    [DataRow(new[] { 1, 1, 12, 12 })]
    public void ImageShapeThatAgreesWithTheColumnDimensionsTrains(int[] dimensions)
    {
        var ml = new MLContext(seed: 0);
        using var model = Fit(ml, Images(ml, Vector(dimensions)), new ImageShape(1, 12, 12));
        model.Model.InputShape.Should().Equal([1, 12, 12]);
    }

    [TestMethod]
    public void ValidationDataWithOtherImageDimensionsNamesBothShapes()
    {
        var ml = new MLContext(seed: 0);
        var trainer = ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options { NumberOfEpochs = 1, BatchSize = 16 });
        var fit = () => trainer.Fit(Images(ml, Vector(1, 12, 12)), Images(ml, Vector(1, 6, 24), rows: 16));
        var e = fit.Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("validationData");
        e.Message.Should().Contain("'Features'").And.Contain("(1, 6, 24)").And.Contain("(1, 12, 12)");
    }

    [TestMethod]
    public void ValidationDataWithTheSameImagesInAnotherDeclarationTrains()
    {
        var ml = new MLContext(seed: 0);
        var trainer = ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options { NumberOfEpochs = 1, BatchSize = 16 });
        foreach (var validation in new[] { Vector(12, 12), Vector(144) })
        {
            using var model = trainer.Fit(Images(ml, Vector(1, 12, 12)), Images(ml, validation, rows: 16));
            model.Model.History.Epochs.Should().ContainSingle().Which.ValidationLoss.Should().NotBeNull();
        }
    }

    [TestMethod]
    public void ImageShapeThatDoesNotMatchTheColumnSizeIsAClearError()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(BarImages.Multiclass(48, seed: 1));
        var fit = () => Fit(ml, data, new ImageShape(1, 28, 28));
        fit.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("ImageShape (1, 28, 28)").And.Contain("784").And.Contain("'Features'").And.Contain("144");
    }

    [TestMethod]
    public void FlatVectorWithoutDimensionsOrImageShapeIsAClearError()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Images(ml, Vector(144)));
        fit.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("'Features'").And.Contain("144").And.Contain("ImageShape").And.Contain("ExtractPixels");
    }

    [TestMethod]
    public void InterleavedPixelDimensionsAreAClearError()
    {
        var ml = new MLContext(seed: 0);
        // ExtractPixels(interleavePixelColors: true) declares (H, W, C).
        var fit = () => Fit(ml, Images(ml, Vector(12, 12, 3)));
        fit.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("'Features'").And.Contain("(12, 12, 3)").And.Contain("interleavePixelColors: false");
    }

    [TestMethod]
    public void ImageShapeOverridesInterleavedLookingDimensions()
    {
        var ml = new MLContext(seed: 0);
        using var model = Fit(ml, Images(ml, Vector(12, 12, 3)), new ImageShape(3, 12, 12));
        model.Model.InputShape.Should().Equal([3, 12, 12]);
    }

    [TestMethod]
    public void ImageShapeWithAZeroDimensionIsRejected()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Images(ml, Vector(144)), new ImageShape(0, 12, 12));
        fit.Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("ImageShape");
    }

    [TestMethod]
    public void ImageTooSmallForLeNet5NamesTheSize()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Images(ml, Vector(144)), new ImageShape(1, 8, 18));
        fit.Should().Throw<ArgumentException>().Which.Message.Should().Contain("LeNet5").And.Contain("(1, 8, 18)").And.Contain("height");
    }
}
