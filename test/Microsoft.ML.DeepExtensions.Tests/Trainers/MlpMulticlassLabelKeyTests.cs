using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// The multiclass MLP's <c>PredictedLabel</c> has the training label's key type and KeyValues (text labels and
/// Single labels), <c>Score</c>'s slots are named after the classes in key order, and <c>MapKeyToValue</c> turns
/// <c>PredictedLabel</c> back into the original label values (in the batch transform and in a prediction engine).
/// Wine's key order is deliberately not the numeric order, so a mix-up of class index and value would show.
/// </summary>
[TestClass]
public sealed class MlpMulticlassLabelKeyTests
{
    [TestMethod]
    public void TextLabelPredictedLabelHasLabelKeyTypeAndMapsBackToSpecies()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Iris(ml), 0.3, seed: 0);
        var original = split.TestSet.GetColumn<string>("Label").ToArray();
        using var model = MlpTestTasks.IrisMulticlass(ml).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);

        var keyed = scored.Schema["Label"];
        string[] keyValues = KeyValues<ReadOnlyMemory<char>>(keyed).Select(v => v.ToString()).ToArray();
        keyValues.Should().BeEquivalentTo(["setosa", "versicolor", "virginica"]);
        CheckKeyAndSlotNames<ReadOnlyMemory<char>>(TrainerOutput(model, split.TestSet), keyed, keyValues);

        scored.Schema["PredictedLabel"].Type.Should().Be(TextDataViewType.Instance);
        var predicted = scored.GetColumn<string>("PredictedLabel").ToArray();
        var keys = TrainerOutput(model, split.TestSet).GetColumn<uint>("PredictedLabel").ToArray();
        for (int i = 0; i < predicted.Length; i++) predicted[i].Should().Be(keyValues[keys[i] - 1]);
        Agreement(predicted, original).Should().BeGreaterThan(0.9, "the mapped-back predictions are the species");

        var engine = ml.Model.CreatePredictionEngine<MlpPredictionEngineTests.TextLabelRow, TextPrediction>(model,
            inputSchemaDefinition: MlpPredictionEngineTests.FeatureRow.Schema<MlpPredictionEngineTests.TextLabelRow>(4));
        var rows = ml.Data.CreateEnumerable<MlpPredictionEngineTests.TextLabelRow>(split.TestSet, reuseRowObject: false).ToArray();
        rows.Select(r => engine.Predict(r).PredictedLabel).Should().Equal(predicted);
    }

    [TestMethod]
    public void SingleLabelPredictedLabelHasLabelKeyTypeAndMapsBackToNumbers()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Wine(ml), 0.3, seed: 0);
        var original = split.TestSet.GetColumn<float>("Label").ToArray();
        using var model = MlpTestTasks.WineMulticlass(ml).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel")).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);

        var keyed = scored.Schema["Label"];
        float[] keyValues = KeyValues<float>(keyed);
        keyValues.Should().Equal(MlpTestTasks.WineKeyOrder, "precondition: the key order is not the numeric order");
        CheckKeyAndSlotNames<float>(TrainerOutput(model, split.TestSet), keyed, ["2", "0", "1"]);

        scored.Schema["PredictedLabel"].Type.Should().Be(NumberDataViewType.Single);
        var predicted = scored.GetColumn<float>("PredictedLabel").ToArray();
        var keys = TrainerOutput(model, split.TestSet).GetColumn<uint>("PredictedLabel").ToArray();
        for (int i = 0; i < predicted.Length; i++) predicted[i].Should().Be(keyValues[keys[i] - 1]);
        predicted.Distinct().Should().BeEquivalentTo([0f, 1f, 2f]);
        Agreement(predicted, original).Should().BeGreaterThan(0.9, "the mapped-back predictions are the original label values");

        var engine = ml.Model.CreatePredictionEngine<MlpPredictionEngineTests.SingleLabelRow, SinglePrediction>(model,
            inputSchemaDefinition: MlpPredictionEngineTests.FeatureRow.Schema<MlpPredictionEngineTests.SingleLabelRow>(13));
        var rows = ml.Data.CreateEnumerable<MlpPredictionEngineTests.SingleLabelRow>(split.TestSet, reuseRowObject: false).ToArray();
        rows.Select(r => engine.Predict(r).PredictedLabel).Should().Equal(predicted);
    }

    /// <summary>
    /// Checks the trainer's output (before MapKeyToValue): <c>PredictedLabel</c> has the label's key type and the same
    /// KeyValues (item type <typeparamref name="TValue"/>, compared as text with <paramref name="classNames"/>), and
    /// <c>Score</c>'s slot names are <paramref name="classNames"/>.
    /// </summary>
    private static void CheckKeyAndSlotNames<TValue>(IDataView trainerOutput, DataViewSchema.Column label, string[] classNames)
    {
        var predictedLabel = trainerOutput.Schema["PredictedLabel"];
        predictedLabel.Type.Should().Be(label.Type, "PredictedLabel has the label's key type");
        predictedLabel.Type.Should().BeOfType<KeyDataViewType>().Which.Count.Should().Be(3UL);
        predictedLabel.Annotations.Schema["KeyValues"].Type.Should().Be(label.Annotations.Schema["KeyValues"].Type);
        KeyValues<TValue>(predictedLabel).Select(v => v!.ToString()).Should().Equal(classNames);

        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        trainerOutput.Schema["Score"].GetSlotNames(ref slotNames);
        slotNames.DenseValues().Select(v => v.ToString()).Should().Equal(classNames, "Score's slots are the classes in key order");
    }

    /// <summary>The data as the MLP's transformer outputs it: every transformer of the chain but the final MapKeyToValue.</summary>
    private static IDataView TrainerOutput(IEnumerable<ITransformer> chain, IDataView data)
    {
        var transformers = chain.ToArray();
        foreach (var t in transformers.Take(transformers.Length - 1)) data = t.Transform(data);
        return data;
    }

    private static T[] KeyValues<T>(DataViewSchema.Column column)
    {
        var values = default(VBuffer<T>);
        column.GetKeyValues(ref values);
        return values.DenseValues().ToArray();
    }

    private static double Agreement<T>(T[] a, T[] b) => a.Zip(b).Count(p => EqualityComparer<T>.Default.Equals(p.First, p.Second)) / (double)a.Length;

    public sealed class TextPrediction
    {
        public string PredictedLabel { get; set; } = "";
    }

    public sealed class SinglePrediction
    {
        public float PredictedLabel { get; set; }
    }
}
