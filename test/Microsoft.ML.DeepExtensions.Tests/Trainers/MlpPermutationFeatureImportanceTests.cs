namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// The generic <c>PermutationFeatureImportance</c> overloads (taking <c>ISingleFeaturePredictionTransformer&lt;TModel&gt;</c>)
/// accept the MLP prediction transformers: one entry per feature slot, finite, and the features known to matter
/// come out on top (iris: a petal measurement; diabetes: bmi among the top two, age near zero).
/// </summary>
[TestClass]
public sealed class MlpPermutationFeatureImportanceTests
{
    [TestMethod]
    public void BinaryPfiHasOneEntryPerFeatureSlot()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.BreastCancer(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.Binary(ml).Fit(split.TrainSet);

        var pfi = ml.BinaryClassification.PermutationFeatureImportance(model.LastTransformer, TrainerInput(model, split.TestSet), permutationCount: 1);

        pfi.Should().HaveCount(30);
        pfi.Should().OnlyContain(s => double.IsFinite(s.AreaUnderRocCurve.Mean) && double.IsFinite(s.Accuracy.Mean) && double.IsFinite(s.F1Score.Mean));
        pfi.Min(s => s.AreaUnderRocCurve.Mean).Should().BeLessThan(0, "permuting some feature makes the ranking worse");
    }

    [TestMethod]
    public void MulticlassPfiRanksAPetalMeasurementFirstOnIris()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Iris(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.IrisMulticlass(ml).Fit(split.TrainSet);

        var pfi = ml.MulticlassClassification.PermutationFeatureImportance(model.LastTransformer, TrainerInput(model, split.TestSet), permutationCount: 2);

        pfi.Should().HaveCount(4);
        pfi.Should().OnlyContain(s => double.IsFinite(s.MicroAccuracy.Mean) && double.IsFinite(s.LogLoss.Mean));
        var accuracyChange = pfi.Select(s => s.MicroAccuracy.Mean).ToArray();
        int mostImportant = Array.IndexOf(accuracyChange, accuracyChange.Min());
        mostImportant.Should().BeOneOf([2, 3], "petal length or width separates the species (changes: {0})", string.Join(", ", accuracyChange));
        accuracyChange.Min().Should().BeLessThan(-0.1);
    }

    [TestMethod]
    public void MulticlassPfiWorksWithSingleLabelsMappedToKeys()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Wine(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.WineMulticlass(ml).Fit(split.TrainSet);

        var pfi = ml.MulticlassClassification.PermutationFeatureImportance(model.LastTransformer, TrainerInput(model, split.TestSet), permutationCount: 1);

        pfi.Should().HaveCount(13);
        pfi.Should().OnlyContain(s => double.IsFinite(s.MicroAccuracy.Mean) && double.IsFinite(s.LogLoss.Mean));
        pfi.Max(s => s.LogLoss.Mean).Should().BeGreaterThan(0.05, "permuting some feature makes the probabilities worse");
    }

    [TestMethod]
    public void RegressionPfiRanksBmiHighAndAgeNearZeroOnDiabetes()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Diabetes(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.Regression(ml).Fit(split.TrainSet);

        var pfi = ml.Regression.PermutationFeatureImportance(model.LastTransformer, TrainerInput(model, split.TestSet), permutationCount: 2);

        pfi.Should().HaveCount(10);
        pfi.Should().OnlyContain(s => double.IsFinite(s.RSquared.Mean) && double.IsFinite(s.MeanAbsoluteError.Mean));
        var r2Change = pfi.Select(s => s.RSquared.Mean).ToArray();
        string changes = string.Join(", ", r2Change.Select(v => v.ToString("F3")));
        const int age = 0, bmi = 2;
        r2Change.Select((v, i) => (v, i)).OrderBy(p => p.v).Take(2).Select(p => p.i).Should().Contain(bmi, "bmi is one of the two strongest predictors (R² changes: {0})", changes);
        r2Change[bmi].Should().BeLessThan(-0.1);
        Math.Abs(r2Change[age]).Should().BeLessThan(0.03, "age carries almost no information (R² changes: {0})", changes);
    }

    /// <summary>The data as the trainer's transformer sees it: every transformer of the chain but the last applied.</summary>
    internal static IDataView TrainerInput(IEnumerable<ITransformer> chain, IDataView data)
    {
        var transformers = chain.ToArray();
        foreach (var t in transformers.Take(transformers.Length - 1)) data = t.Transform(data);
        return data;
    }
}
