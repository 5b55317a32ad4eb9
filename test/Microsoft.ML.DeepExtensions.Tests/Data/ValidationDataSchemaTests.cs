using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Trainers;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Data;

/// <summary>A validation set passed to <c>Fit(train, validation)</c> must have the training data's schema; a mismatch fails before training.</summary>
[TestClass]
public sealed class ValidationDataSchemaTests
{
    private static MlpMulticlassTrainer Multiclass(MLContext ml) =>
        ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 1, Seed = 0 });

    [TestMethod]
    public void MatchingValidationSetTrains()
    {
        var ml = new MLContext(seed: 0);
        using var model = Multiclass(ml).Fit(TrainerTestData.Multiclass(ml), TrainerTestData.Multiclass(ml, rows: 9, seed: 2));
        model.Model.History.Epochs.Single().ValidationLoss.Should().NotBeNull();
    }

    [TestMethod]
    public void DifferentFeatureVectorSizeNamesTheColumn()
    {
        var ml = new MLContext(seed: 0);
        var act = () => Multiclass(ml).Fit(TrainerTestData.Multiclass(ml, featureCount: 4), TrainerTestData.Multiclass(ml, featureCount: 5));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "validationData")
            .Which.Message.Should().Contain("feature column 'Features' has 5 values (training: 4)");
    }

    [TestMethod]
    public void DifferentClassCountNamesTheLabel()
    {
        var ml = new MLContext(seed: 0);
        var act = () => Multiclass(ml).Fit(TrainerTestData.Multiclass(ml, classes: 3), TrainerTestData.Multiclass(ml, classes: 4));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "validationData")
            .Which.Message.Should().Contain("label 'Label' has 4 classes (training: 3)");
    }

    public sealed class TextLabelRow
    {
        [VectorType(2)] public float[] Features { get; set; } = new float[2];

        public string Label { get; set; } = "";
    }

    [TestMethod]
    public void DifferentClassNamesNameTheLabel()
    {
        // Each set mapped by its own MapValueToKey: 3 classes both, but key 1 is "a" in one and "c" in the other.
        var ml = new MLContext(seed: 0);
        IDataView Keyed(params string[] labels)
        {
            var data = ml.Data.LoadFromEnumerable(labels.Select((l, i) => new TextLabelRow { Features = [i, l[0]], Label = l }));
            return ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        }
        var act = () => Multiclass(ml).Fit(Keyed("a", "b", "c", "a"), Keyed("c", "b", "a"));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "validationData")
            .Which.Message.Should().Contain("label 'Label'").And.Contain("a, b, c").And.Contain("c, b, a");
    }

    [TestMethod]
    public void SameClassNamesTrain()
    {
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(new[] { "a", "b", "c", "a" }.Select((l, i) => new TextLabelRow { Features = [i, l[0]], Label = l }));
        var validation = ml.Data.LoadFromEnumerable(new[] { "c", "b", "a" }.Select((l, i) => new TextLabelRow { Features = [i, l[0]], Label = l }));
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(train);
        using var model = Multiclass(ml).Fit(toKey.Transform(train), toKey.Transform(validation));
        model.Model.ClassNames.Should().Equal("a", "b", "c");
    }

    [TestMethod]
    public void MissingLabelColumnInValidationSetNamesIt()
    {
        var ml = new MLContext(seed: 0);
        var validation = ml.Transforms.DropColumns("Label").Fit(TrainerTestData.Multiclass(ml)).Transform(TrainerTestData.Multiclass(ml));
        var act = () => Multiclass(ml).Fit(TrainerTestData.Multiclass(ml), validation);
        act.Should().Throw<ArgumentOutOfRangeException>()
            .Which.Message.Should().Contain("validation data has no label column 'Label'");
    }

    [TestMethod]
    public void WrongLabelTypeInValidationSetNamesIt()
    {
        var ml = new MLContext(seed: 0);
        var trainer = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 1, Seed = 0 });
        var act = () => trainer.Fit(TrainerTestData.Regression(ml), TrainerTestData.Binary(ml));
        act.Should().Throw<ArgumentException>()
            .Which.Message.Should().Contain("Label column 'Label' of the validation data").And.Contain("Boolean");
    }

    [TestMethod]
    public void BadValueInValidationSetNamesTheValidationData()
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(6, 4, 3, 0.5f, 1, out var y);
        x[4][1] = float.NaN;
        var validation = TrainerTestData.LoadKeyRows(ml, x.Select((f, i) => new KeyRow { Features = f, Label = (uint)y[i] }), 4, 3);
        var act = () => Multiclass(ml).Fit(TrainerTestData.Multiclass(ml), validation);
        act.Should().Throw<InvalidOperationException>()
            .Which.Message.Should().Contain("Feature column 'Features' of the validation data").And.Contain("row 4").And.Contain("slot 1");
    }
}
