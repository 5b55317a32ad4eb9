using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// <c>mlContext.Model.CreatePredictionEngine</c> works on pipelines ending in an MLP trainer, and its prediction for
/// a row equals the batch <c>Transform</c>'s value for the same row (exactly: both run the same ONNX graph on one
/// row). Binary and regression pipelines score rows that have no label column.
/// </summary>
[TestClass]
public sealed class MlpPredictionEngineTests
{
    [TestMethod]
    public void BinaryPredictionEngineEqualsBatchTransformWithoutLabelColumn()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.BreastCancer(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.Binary(ml).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);
        var score = scored.GetColumn<float>("Score").ToArray();
        var probability = scored.GetColumn<float>("Probability").ToArray();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();

        var engine = ml.Model.CreatePredictionEngine<FeatureRow, BinaryPrediction>(model, inputSchemaDefinition: FeatureRow.Schema(30));
        var rows = MlpTestTasks.Features(split.TestSet);
        for (int i = 0; i < rows.Length; i++)
        {
            var p = engine.Predict(new FeatureRow { Features = rows[i] });
            p.Score.Should().Be(score[i]);
            p.Probability.Should().Be(probability[i]);
            p.PredictedLabel.Should().Be(predicted[i]);
        }
        predicted.Should().Contain(true).And.Contain(false, "a trained model predicts both classes");
    }

    [TestMethod]
    public void IrisPredictionEngineEqualsBatchTransform()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Iris(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.IrisMulticlass(ml).Fit(split.TrainSet);
        var rows = ml.Data.CreateEnumerable<TextLabelRow>(split.TestSet, reuseRowObject: false).ToArray();
        var engine = ml.Model.CreatePredictionEngine<TextLabelRow, MulticlassPrediction>(model, inputSchemaDefinition: FeatureRow.Schema<TextLabelRow>(4));

        CheckMulticlass(model.Transform(split.TestSet), rows.Select(engine.Predict).ToArray());
    }

    [TestMethod]
    public void WinePredictionEngineEqualsBatchTransform()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Wine(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.WineMulticlass(ml).Fit(split.TrainSet);
        var rows = ml.Data.CreateEnumerable<SingleLabelRow>(split.TestSet, reuseRowObject: false).ToArray();
        var engine = ml.Model.CreatePredictionEngine<SingleLabelRow, MulticlassPrediction>(model, inputSchemaDefinition: FeatureRow.Schema<SingleLabelRow>(13));

        CheckMulticlass(model.Transform(split.TestSet), rows.Select(engine.Predict).ToArray());
    }

    [TestMethod]
    public void RegressionPredictionEngineEqualsBatchTransformWithoutLabelColumn()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Diabetes(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.Regression(ml).Fit(split.TrainSet);
        var score = model.Transform(split.TestSet).GetColumn<float>("Score").ToArray();

        var engine = ml.Model.CreatePredictionEngine<FeatureRow, RegressionPrediction>(model, inputSchemaDefinition: FeatureRow.Schema(10));
        var rows = MlpTestTasks.Features(split.TestSet);
        for (int i = 0; i < rows.Length; i++)
            engine.Predict(new FeatureRow { Features = rows[i] }).Score.Should().Be(score[i]);
        score.Distinct().Should().HaveCountGreaterThan(rows.Length / 2, "predictions depend on the features");
    }

    private static void CheckMulticlass(IDataView scored, MulticlassPrediction[] predictions)
    {
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        predictions.Should().HaveCount(scores.Length);
        for (int i = 0; i < scores.Length; i++)
        {
            predictions[i].Score.Should().Equal(scores[i]);
            predictions[i].PredictedLabel.Should().Be(keys[i]);
            predictions[i].PredictedLabel.Should().Be((uint)MlpTestTasks.ArgMax(predictions[i].Score) + 1);
        }
        keys.Distinct().Should().HaveCount(3, "a trained model predicts every class");
    }

    /// <summary>A row with only a feature vector (its size is set at run time by <see cref="Schema"/>).</summary>
    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];

        public static SchemaDefinition Schema(int size) => Schema<FeatureRow>(size);

        public static SchemaDefinition Schema<T>(int size)
        {
            var schema = SchemaDefinition.Create(typeof(T));
            schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
            return schema;
        }
    }

    public sealed class TextLabelRow
    {
        public float[] Features { get; set; } = [];

        public string Label { get; set; } = "";
    }

    public sealed class SingleLabelRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    public sealed class MulticlassPrediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    public sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }
}
