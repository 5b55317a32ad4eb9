using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Trainers;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Data;

/// <summary>
/// Bad training data reaches the MLP trainers' <c>Fit</c> through the public API and fails with an exception that names
/// the column (and, for bad values, the 0-based row and slot). Checked in <c>Data/DataViewPacker</c> and
/// <c>NeuralTrainerBase.Fit</c>.
/// </summary>
[TestClass]
public sealed class BadTrainingDataTests
{
    private static MlpMulticlassTrainer.Options MulticlassOptions() => new() { HiddenLayerSizes = [4], NumberOfEpochs = 1, Seed = 0 };

    private static MlpMulticlassTrainer Multiclass(MLContext ml) => ml.MulticlassClassification.Trainers.Mlp(MulticlassOptions());

    private static MlpBinaryTrainer Binary(MLContext ml) =>
        ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 1, Seed = 0 });

    private static MlpRegressionTrainer Regression(MLContext ml, string? weight = null) =>
        ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 1, Seed = 0, ExampleWeightColumnName = weight });

    [TestMethod]
    public void MissingFeatureColumnNamesIt()
    {
        var ml = new MLContext(seed: 0);
        var trainer = ml.MulticlassClassification.Trainers.Mlp(featureColumnName: "Pixels", numberOfEpochs: 1);
        var act = () => trainer.Fit(TrainerTestData.Multiclass(ml));
        act.Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().Contain("feature column 'Pixels'").And.Contain("'Features'", "the message lists the columns there are");
    }

    [TestMethod]
    public void MissingLabelColumnNamesIt()
    {
        var ml = new MLContext(seed: 0);
        var trainer = ml.BinaryClassification.Trainers.Mlp(labelColumnName: "IsSpam", numberOfEpochs: 1);
        var act = () => trainer.Fit(TrainerTestData.Binary(ml));
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("label column 'IsSpam'");
    }

    [TestMethod]
    public void MissingExampleWeightColumnNamesIt()
    {
        var ml = new MLContext(seed: 0);
        var act = () => Regression(ml, weight: "Importance").Fit(TrainerTestData.Regression(ml));
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("weight column 'Importance'");
    }

    public sealed class SizedRow
    {
        [VectorType(4)] public float[] Features { get; set; } = new float[4];

        public float Label { get; set; }
    }

    [TestMethod]
    [DataRow(2)]   // short: copying it would keep the previous row's last values
    [DataRow(6)]   // long
    public void RowWithAnotherLengthThanTheDeclaredSizeNamesColumnAndRow(int length)
    {
        var ml = new MLContext(seed: 0);
        var rows = Enumerable.Range(0, 8).Select(i => new SizedRow { Features = [i, 1, 2, 3], Label = i % 3 }).ToList();
        rows[5].Features = Enumerable.Repeat(1f, length).ToArray();
        var act = () => Regression(ml).Fit(ml.Data.LoadFromEnumerable(rows));
        act.Should().Throw<InvalidOperationException>().Which.Message.Should()
            .Contain("Feature column 'Features'").And.Contain($"has {length} values at row 5").And.Contain("declares 4");
    }

    public sealed class DoubleFeatureRow
    {
        [VectorType(4)] public double[] Features { get; set; } = new double[4];

        public float Label { get; set; }
    }

    public sealed class TextFeatureRow
    {
        public string Features { get; set; } = "a b";

        public float Label { get; set; }
    }

    [TestMethod]
    public void DoubleFeatureVectorIsRejectedWithAConversionHint()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(_ => new DoubleFeatureRow()));
        var act = () => Regression(ml).Fit(data);
        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("Feature column 'Features'").And.Contain("Double").And.Contain("ConvertType");
    }

    [TestMethod]
    public void TextFeatureIsRejected()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(_ => new TextFeatureRow()));
        var act = () => Regression(ml).Fit(data);
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Feature column 'Features'").And.Contain("String");
    }

    [TestMethod]
    public void VariableSizeFeatureVectorIsRejected()
    {
        var ml = new MLContext(seed: 0);
        var rows = new[] { new FloatRow { Features = [1, 2] }, new FloatRow { Features = [1, 2, 3] } };
        var data = TrainerTestData.Load(ml, rows, featureCount: 0);
        var act = () => Regression(ml).Fit(data);
        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("Feature column 'Features'").And.Contain("variable-size");
    }

    [TestMethod]
    public void SingleLabelForMulticlassSuggestsMapValueToKey()
    {
        var ml = new MLContext(seed: 0);
        var act = () => Multiclass(ml).Fit(TrainerTestData.Regression(ml));
        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("Label column 'Label'").And.Contain("Single").And.Contain("MapValueToKey(\"Label\")");
    }

    [TestMethod]
    public void SingleLabelForMulticlassInAPipelineSuggestsMapValueToKey()
    {
        // EstimatorChain.Fit checks the schema with GetOutputSchema before fitting anything.
        var ml = new MLContext(seed: 0);
        var pipeline = ml.Transforms.NormalizeMinMax("Features").Append(Multiclass(ml));
        var act = () => pipeline.Fit(TrainerTestData.Regression(ml));
        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("Label column 'Label'").And.Contain("Single").And.Contain("MapValueToKey(\"Label\")");
    }

    [TestMethod]
    public void MissingFeatureColumnInAPipelineNamesIt()
    {
        var ml = new MLContext(seed: 0);
        var pipeline = ml.Transforms.CopyColumns("Raw", "Features")
            .Append(ml.Regression.Trainers.Mlp(featureColumnName: "Normalized", numberOfEpochs: 1));
        var act = () => pipeline.Fit(TrainerTestData.Regression(ml));
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("feature column 'Normalized'");
    }

    [TestMethod]
    public void DoubleFeatureInAPipelineSuggestsConversion()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 4).Select(_ => new DoubleFeatureRow()));
        var pipeline = ml.Transforms.CopyColumns("Raw", "Features").Append(Regression(ml));
        var act = () => pipeline.Fit(data);
        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("Feature column 'Features'").And.Contain("Double").And.Contain("ConvertType");
    }

    [TestMethod]
    public void SingleLabelForBinaryIsRejected()
    {
        var ml = new MLContext(seed: 0);
        var act = () => Binary(ml).Fit(TrainerTestData.Regression(ml));
        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("Label column 'Label'").And.Contain("Single").And.Contain("Boolean");
    }

    [TestMethod]
    public void BooleanLabelForRegressionIsRejected()
    {
        var ml = new MLContext(seed: 0);
        var act = () => Regression(ml).Fit(TrainerTestData.Binary(ml));
        act.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Label column 'Label'").And.Contain("Boolean");
    }

    [TestMethod]
    [DataRow(float.NaN, "NaN")]
    [DataRow(float.PositiveInfinity, "+infinity")]
    [DataRow(float.NegativeInfinity, "-infinity")]
    public void NonFiniteFeatureNamesColumnRowAndSlot(float bad, string described)
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(8, 4, 2, 0.5f, 1, out var y);
        x[5][2] = bad;
        var data = TrainerTestData.Load(ml, x.Select((f, i) => new BoolRow { Features = f, Label = y[i] == 1 }), 4);
        var act = () => Binary(ml).Fit(data);
        act.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Feature column 'Features'").And.Contain(described).And.Contain("row 5").And.Contain("slot 2");
    }

    public sealed class TextLabelRow
    {
        [VectorType(4)] public float[] Features { get; set; } = new float[4];

        public string Label { get; set; } = "";
    }

    public sealed class KeyValueRow
    {
        public string Value { get; set; } = "";
    }

    [TestMethod]
    public void MissingKeyLabelNamesColumnAndRow()
    {
        var ml = new MLContext(seed: 0);
        var labels = new[] { "a", "b", "c", "a", "d", "b" }; // "d" is not in the dictionary: MapValueToKey gives the missing key 0
        var data = ml.Data.LoadFromEnumerable(labels.Select((l, i) => new TextLabelRow { Features = [i, 1, 0, 0], Label = l }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(new[] { "a", "b", "c" }.Select(l => new KeyValueRow { Value = l })))
            .Fit(data).Transform(data);
        var act = () => Multiclass(ml).Fit(keyed);
        act.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Label column 'Label'").And.Contain("missing").And.Contain("row 4");
    }

    [TestMethod]
    public void KeyLabelOutOfRangeNamesColumnAndRow()
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(6, 4, 3, 0.5f, 1, out var y);
        var keys = y.Select((c, i) => i == 3 ? 7u : (uint)c + 1).ToArray();
        var act = () => Multiclass(ml).Fit(new RawKeyLabelDataView(x, keys, classes: 3));
        act.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Label column 'Label'").And.Contain("key 7").And.Contain("row 3").And.Contain("1..3");
    }

    [TestMethod]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void NonFiniteRegressionLabelNamesColumnAndRow(float bad)
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(6, 4, 1, 1f, 1, out _);
        var data = TrainerTestData.Load(ml, x.Select((f, i) => new FloatRow { Features = f, Label = i == 2 ? bad : i }), 4);
        var act = () => Regression(ml).Fit(data);
        act.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Label column 'Label'").And.Contain("row 2").And.Contain("finite");
    }

    [TestMethod]
    [DataRow(-1f, "-1")]
    [DataRow(float.NaN, "NaN")]
    [DataRow(float.PositiveInfinity, "+infinity")]
    public void BadExampleWeightNamesColumnAndRow(float bad, string described)
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(6, 4, 1, 1f, 1, out _);
        var data = TrainerTestData.Load(ml, x.Select((f, i) => new FloatRow { Features = f, Label = i, Weight = i == 1 ? bad : 1 }), 4);
        var act = () => Regression(ml, weight: "Weight").Fit(data);
        act.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("weight column 'Weight'").And.Contain(described).And.Contain("row 1");
    }

    [TestMethod]
    public void AllZeroExampleWeightsAreAnError()
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(6, 4, 1, 1f, 1, out _);
        var data = TrainerTestData.Load(ml, x.Select((f, i) => new FloatRow { Features = f, Label = i, Weight = 0 }), 4);
        var act = () => Regression(ml, weight: "Weight").Fit(data);
        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("weight column 'Weight'").And.Contain("0 on every row");
    }

    [TestMethod]
    public void ClassWeightsThatZeroEveryRowAreAnError()
    {
        var ml = new MLContext(seed: 0);
        var options = MulticlassOptions();
        options.ClassWeights = [0f, 0f, 1f];
        var twoClasses = ml.Data.FilterRowsByKeyColumnFraction(TrainerTestData.Multiclass(ml), "Label", upperBound: 0.6); // keys 1 and 2 only
        var act = () => ml.MulticlassClassification.Trainers.Mlp(options).Fit(twoClasses);
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "ClassWeights").Which.Message.Should().Contain("weight of 0");
    }

    [TestMethod]
    public void FewerRowsThanOneBatchTrains()
    {
        var ml = new MLContext(seed: 0);
        var data = TrainerTestData.Multiclass(ml, rows: 5);
        var options = MulticlassOptions();
        options.BatchSize = 32;
        options.NumberOfEpochs = 3;
        using var model = ml.MulticlassClassification.Trainers.Mlp(options).Fit(data);
        model.Model.History.Epochs.Should().HaveCount(3);
        TrainerTestData.Vectors(model.Transform(data), "Score").Should().HaveCount(5)
            .And.AllSatisfy(p => p.Sum().Should().BeApproximately(1f, 1e-5f));
    }

    [TestMethod]
    public void ZeroRowsIsAnError()
    {
        var ml = new MLContext(seed: 0);
        var empty = ml.Data.FilterRowsByColumn(TrainerTestData.Binary(ml), "Weight", lowerBound: 5, upperBound: 6);
        var act = () => Binary(ml).Fit(empty);
        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("training data has no rows");
    }

    [TestMethod]
    public void ZeroRowsThroughAPipelineIsAnError()
    {
        var ml = new MLContext(seed: 0);
        var empty = ml.Data.SkipRows(TrainerTestData.Regression(ml), 1000);
        var pipeline = ml.Transforms.CopyColumns("Raw", "Features").Append(Regression(ml));
        var act = () => pipeline.Fit(empty);
        act.Should().Throw<InvalidOperationException>().Which.Message.Should().Contain("no rows");
    }
}
