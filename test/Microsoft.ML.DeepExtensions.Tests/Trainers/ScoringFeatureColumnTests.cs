using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// A fitted MLP or fixed-size sequence model checks the feature column of the data it scores when the schema is
/// checked, instead of failing rows later inside ONNX Runtime: a known-size vector of another size, or of another item
/// type, is an <see cref="ArgumentOutOfRangeException"/> naming the column and both sizes. The MLP reads a flat vector,
/// so the column's dimensions do not matter as long as the size does. (The ConvNet's image checks:
/// <see cref="ConvNet.ConvNetScoringInputTests"/>.)
/// </summary>
[TestClass]
public sealed class ScoringFeatureColumnTests
{
    private static RegressionNeuralPredictionTransformer TrainMlp(MLContext ml) =>
        ml.Regression.Trainers.Mlp(MlpTestTasks.RegressionOptions(epochs: 2)).Fit(MlpTestTasks.Diabetes(ml));

    private static IDataView Rows(MLContext ml, DataViewType featureType, int count = 5)
    {
        int size = featureType is VectorDataViewType v ? v.Size : 1;
        var schema = SchemaDefinition.Create(typeof(MlpPredictionEngineTests.FeatureRow));
        schema["Features"].ColumnType = featureType;
        return ml.Data.LoadFromEnumerable(
            Enumerable.Range(0, count).Select(i => new MlpPredictionEngineTests.FeatureRow { Features = Enumerable.Range(0, size).Select(j => 0.01f * (i + j)).ToArray() }).ToList(),
            schema);
    }

    [TestMethod]
    public void MlpRejectsAVectorOfAnotherSizeNamingTheColumnAndSizes()
    {
        var ml = new MLContext(seed: 0);
        using var model = TrainMlp(ml);
        var data = Rows(ml, new VectorDataViewType(NumberDataViewType.Single, 11));
        var check = () => model.GetOutputSchema(data.Schema);
        check.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("Column 'Features' has 11 values").And.Contain("this model reads 10");
        var transform = () => model.Transform(data);
        transform.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("Column 'Features' has 11 values");
        var predict = () =>
        {
            using var engine = ml.Model.CreatePredictionEngine<MlpPredictionEngineTests.FeatureRow, MlpPredictionEngineTests.RegressionPrediction>(
                model, inputSchemaDefinition: MlpPredictionEngineTests.FeatureRow.Schema(11));
            return engine.Predict(new MlpPredictionEngineTests.FeatureRow { Features = new float[11] });
        };
        predict.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("'Features'").And.Contain("11").And.Contain("10");
    }

    [TestMethod]
    public void MlpRejectsAVectorOfAnotherItemType()
    {
        var ml = new MLContext(seed: 0);
        using var model = TrainMlp(ml);
        var doubles = ml.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.Double)
            .Fit(Rows(ml, new VectorDataViewType(NumberDataViewType.Single, 10))).Transform(Rows(ml, new VectorDataViewType(NumberDataViewType.Single, 10)));
        var check = () => model.GetOutputSchema(doubles.Schema);
        check.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should()
            .Contain("Column 'Features' has type Vector<Double, 10>").And.Contain("known-size vector of 10 Single values").And.Contain("ConvertType");
    }

    [TestMethod]
    public void MlpScoresAColumnOfTheSameSizeWhateverItsDimensions()
    {
        var ml = new MLContext(seed: 0);
        using var model = TrainMlp(ml);
        var flat = model.Transform(Rows(ml, new VectorDataViewType(NumberDataViewType.Single, 10))).GetColumn<float>("Score").ToArray();
        var shaped = model.Transform(Rows(ml, new VectorDataViewType(NumberDataViewType.Single, 2, 5))).GetColumn<float>("Score").ToArray();
        shaped.Should().Equal(flat);
        flat.Distinct().Should().HaveCountGreaterThan(1, "precondition: the rows differ");
    }

    [TestMethod]
    public void FixedSequenceModelRejectsAVectorOfAnotherSize()
    {
        var ml = new MLContext(seed: 0);
        var rows = SequenceTestData.Series(40, 1, 4, seed: 1);
        using var model = ml.Regression.Trainers.Gru(new RecurrentRegressionTrainer.Options { HiddenSize = 4, NumberOfEpochs = 1, Seed = 0 })
            .Fit(SequenceTestData.Padded(ml, rows, 4));
        model.GetOutputSchema(SequenceTestData.Padded(ml, rows, 4).Schema).GetColumnOrNull("Score").Should().NotBeNull("precondition: the training column scores");
        var check = () => model.GetOutputSchema(SequenceTestData.Padded(ml, rows, 6).Schema);
        check.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("Column 'Features' has 6 values").And.Contain("this model reads 4");
    }
}
