using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// A fitted ConvNet checks the feature column of the data it scores when the schema is checked (<c>GetOutputSchema</c>,
/// <c>Transform</c>, <c>CreatePredictionEngine</c>), not rows later inside ONNX Runtime: a column of another size
/// (three channels for a grey-scale model) or with other image dimensions is an <see cref="ArgumentOutOfRangeException"/>
/// naming the column, its shape and the model's; a flat vector or <c>(H, W)</c> dimensions of the same image score as
/// the training column does.
/// </summary>
[TestClass]
public sealed class ConvNetScoringInputTests
{
    private static MulticlassNeuralPredictionTransformer Train(MLContext ml) =>
        ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options { NumberOfEpochs = 1, BatchSize = 16 })
            .Fit(ml.Data.LoadFromEnumerable(BarImages.Multiclass(48, seed: 1)));

    /// <summary>Bar images whose <c>Features</c> column has the dimensions <paramref name="dimensions"/> (channels repeat the image).</summary>
    private static IDataView Images(MLContext ml, params int[] dimensions)
    {
        int size = dimensions.Aggregate(1, (a, b) => a * b);
        var rows = BarImages.Multiclass(8, seed: 2).Select(r => new BarImageMulticlassRow
        {
            Features = Enumerable.Range(0, size / r.Features.Length).SelectMany(_ => r.Features).ToArray(),
            Label = r.Label,
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(BarImageMulticlassRow));
        schema[nameof(BarImageMulticlassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    [TestMethod]
    public void ThreeChannelColumnIsRejectedByGetOutputSchema()
    {
        var ml = new MLContext(seed: 0);
        using var model = Train(ml);
        var rgb = Images(ml, 3, 12, 12);
        var check = () => model.GetOutputSchema(rgb.Schema);
        check.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should()
            .Contain("Column 'Features' has 432 values (3, 12, 12)").And.Contain("this model reads (1, 12, 12) images")
            .And.Contain("ConvertToGrayscale").And.Contain("ColorBits.Red");
    }

    [TestMethod]
    public void ThreeChannelColumnIsRejectedByTransformBeforeAnyRowIsRead()
    {
        var ml = new MLContext(seed: 0);
        using var model = Train(ml);
        var transform = () => model.Transform(Images(ml, 3, 12, 12));
        transform.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("'Features'").And.Contain("(3, 12, 12)").And.Contain("(1, 12, 12)");
    }

    [TestMethod]
    public void PredictionEngineOnThreeChannelRowsIsRejectedNamingTheColumn()
    {
        var ml = new MLContext(seed: 0);
        using var model = Train(ml);
        var schema = SchemaDefinition.Create(typeof(BarImageMulticlassRow));
        schema[nameof(BarImageMulticlassRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 3, 12, 12);
        var predict = () =>
        {
            using var engine = ml.Model.CreatePredictionEngine<BarImageMulticlassRow, ImagePrediction>(model, inputSchemaDefinition: schema);
            return engine.Predict(new BarImageMulticlassRow { Features = new float[432] });
        };
        predict.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("'Features'").And.Contain("432").And.Contain("(1, 12, 12)");
    }

    [TestMethod]
    public void ModelInAFittedPipelineRejectsTheColumnToo()
    {
        var ml = new MLContext(seed: 0);
        var pipeline = ml.Transforms.CopyColumns("Pixels", "Features")
            .Append(ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options { FeatureColumnName = "Pixels", NumberOfEpochs = 1, BatchSize = 16 }));
        using var model = pipeline.Fit(ml.Data.LoadFromEnumerable(BarImages.Multiclass(48, seed: 1)));
        var transform = () => model.Transform(Images(ml, 3, 12, 12));
        transform.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("Column 'Pixels' has 432 values");
    }

    [TestMethod]
    [DataRow(new[] { 1, 6, 24 })]
    [DataRow(new[] { 4, 6, 6 })]
    [DataRow(new[] { 12, 12, 1 })]
    public void SameSizeWithOtherImageDimensionsIsRejected(int[] dimensions)
    {
        var ml = new MLContext(seed: 0);
        using var model = Train(ml);
        string shape = $"({string.Join(", ", dimensions)})";
        var check = () => model.GetOutputSchema(Images(ml, dimensions).Schema);
        check.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should()
            .Contain("'Features'").And.Contain(shape).And.Contain("this model reads (1, 12, 12) images");
    }

    [TestMethod]
    public void ColumnOfAnotherSizeWithoutImageDimensionsNamesTheSizes()
    {
        var ml = new MLContext(seed: 0);
        using var model = Train(ml);
        var check = () => model.GetOutputSchema(Images(ml, 288).Schema);
        check.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("Column 'Features' has 288 values").And.Contain("144");
    }

    [TestMethod]
    public void FlatOrHeightWidthColumnOfTheSameImagesScoresAsTheTrainingColumn()
    {
        var ml = new MLContext(seed: 0);
        using var model = Train(ml);
        var expected = model.Transform(Images(ml, 1, 12, 12)).GetColumn<float[]>("Score").ToArray();
        foreach (var dimensions in new[] { new[] { 144 }, [12, 12], [1, 1, 12, 12] })
            model.Transform(Images(ml, dimensions)).GetColumn<float[]>("Score").ToArray().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
    }

    [TestMethod]
    public void SavedAndReloadedModelStillScores()
    {
        var ml = new MLContext(seed: 0);
        using var model = Train(ml);
        var data = Images(ml, 1, 12, 12);
        var expected = model.Transform(data).GetColumn<float[]>("Score").ToArray();
        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        try
        {
            loaded.Transform(data).GetColumn<float[]>("Score").ToArray().Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    public sealed class ImagePrediction
    {
        public float[] Score { get; set; } = [];
    }
}
