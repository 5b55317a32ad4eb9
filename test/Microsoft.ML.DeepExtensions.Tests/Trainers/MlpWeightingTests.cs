using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Class weights and example weights move the model the expected way: weighting a class up raises its recall on
/// overlapping classes; weighting a group of regression rows up pulls the predictions towards their labels.
/// </summary>
[TestClass]
public sealed class MlpWeightingTests
{
    private const int Rows = 300;

    /// <summary>Fraction of the rows of class <paramref name="target"/> (label) predicted as that class.</summary>
    private static double Recall<T>(IReadOnlyList<T> labels, IReadOnlyList<T> predicted, T target)
    {
        int total = 0, hit = 0;
        for (int i = 0; i < labels.Count; i++)
        {
            if (!EqualityComparer<T>.Default.Equals(labels[i], target)) continue;
            total++;
            if (EqualityComparer<T>.Default.Equals(predicted[i], target)) hit++;
        }
        return (double)hit / total;
    }

    private static MlpMulticlassTrainer.Options MulticlassOptions() => new() { HiddenLayerSizes = [16], NumberOfEpochs = 10, LearningRate = 1e-2f, Seed = 0 };

    private static MlpBinaryTrainer.Options BinaryOptions() => new() { HiddenLayerSizes = [16], NumberOfEpochs = 10, LearningRate = 1e-2f, Seed = 0 };

    private static double MulticlassRecall(MLContext ml, IDataView data, MlpMulticlassTrainer.Options options, uint key)
    {
        using var model = ml.MulticlassClassification.Trainers.Mlp(options).Fit(data);
        var scored = model.Transform(data);
        return Recall(TrainerTestData.Keys(scored, "Label"), TrainerTestData.Keys(scored, "PredictedLabel"), key);
    }

    private static double BinaryRecall(MLContext ml, IDataView data, MlpBinaryTrainer.Options options)
    {
        using var model = ml.BinaryClassification.Trainers.Mlp(options).Fit(data);
        var scored = model.Transform(data);
        return Recall(scored.GetColumn<bool>("Label").ToArray(), scored.GetColumn<bool>("PredictedLabel").ToArray(), true);
    }

    private static IDataView OverlappingBinary(MLContext ml, bool weightPositives = false)
    {
        var x = TrainerTestData.Blobs(Rows, 2, 2, 1.6f, 5, out var y);
        return TrainerTestData.Load(ml, x.Select((f, i) => new BoolRow { Features = f, Label = y[i] == 1, Weight = weightPositives && y[i] == 1 ? 10 : 1 }), 2);
    }

    [TestMethod]
    public void HeavyClassWeightRaisesThatClassRecall()
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(Rows, 2, 3, 1.6f, 5, out var y);
        var data = TrainerTestData.LoadKeyRows(ml, x.Select((f, i) => new KeyRow { Features = f, Label = (uint)y[i] }), 2, 3);

        double plain = MulticlassRecall(ml, data, MulticlassOptions(), key: 3);
        var weighted = MulticlassOptions();
        weighted.ClassWeights = [1f, 1f, 10f];
        double heavy = MulticlassRecall(ml, data, weighted, key: 3);

        Console.WriteLine($"recall of class 3: {plain:F3} unweighted, {heavy:F3} with class weight 10");
        plain.Should().BeLessThan(0.9, "the classes overlap, so there is room to gain");
        heavy.Should().BeGreaterThan(plain + 0.05);
    }

    [TestMethod]
    public void BinaryClassWeightOnTheTrueClassRaisesRecall()
    {
        var ml = new MLContext(seed: 0);
        var data = OverlappingBinary(ml);
        double plain = BinaryRecall(ml, data, BinaryOptions());
        var weighted = BinaryOptions();
        weighted.ClassWeights = [1f, 10f];
        double heavy = BinaryRecall(ml, data, weighted);

        Console.WriteLine($"recall of true: {plain:F3} unweighted, {heavy:F3} with class weight 10");
        plain.Should().BeLessThan(0.9);
        heavy.Should().BeGreaterThan(plain + 0.05);
    }

    [TestMethod]
    public void PositiveClassWeightRaisesRecall()
    {
        var ml = new MLContext(seed: 0);
        var data = OverlappingBinary(ml);
        double plain = BinaryRecall(ml, data, BinaryOptions());
        var weighted = BinaryOptions();
        weighted.PositiveClassWeight = 10f;
        double heavy = BinaryRecall(ml, data, weighted);
        Console.WriteLine($"recall of true: {plain:F3} unweighted, {heavy:F3} with PositiveClassWeight 10");
        heavy.Should().BeGreaterThan(plain + 0.05);
    }

    [TestMethod]
    public void HeavyExampleWeightsOnOneClassRaiseItsRecall()
    {
        var ml = new MLContext(seed: 0);
        double plain = BinaryRecall(ml, OverlappingBinary(ml), BinaryOptions());
        var weighted = BinaryOptions();
        weighted.ExampleWeightColumnName = "Weight";
        double heavy = BinaryRecall(ml, OverlappingBinary(ml, weightPositives: true), weighted);
        Console.WriteLine($"recall of true: {plain:F3} unweighted, {heavy:F3} with example weight 10");
        heavy.Should().BeGreaterThan(plain + 0.05);
    }

    [TestMethod]
    public void ExampleWeightsPullRegressionTowardsTheHeavyRows()
    {
        // Labels 0 or 10 regardless of the features: the best prediction is the (weighted) label mean,
        // 5 without weights and 9.1 with weight 10 on the rows labelled 10.
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(Rows, 2, 1, 1f, 5, out _);
        var data = TrainerTestData.Load(ml, x.Select((f, i) => new FloatRow { Features = f, Label = i % 2 == 0 ? 0 : 10, Weight = i % 2 == 0 ? 1 : 10 }), 2);
        double MeanPrediction(string? weightColumn)
        {
            var options = new MlpRegressionTrainer.Options { HiddenLayerSizes = [8], NumberOfEpochs = 10, LearningRate = 1e-2f, Seed = 0, ExampleWeightColumnName = weightColumn };
            using var model = ml.Regression.Trainers.Mlp(options).Fit(data);
            return TrainerTestData.Floats(model.Transform(data), "Score").Average();
        }

        double plain = MeanPrediction(null), heavy = MeanPrediction("Weight");
        Console.WriteLine($"mean prediction: {plain:F3} unweighted, {heavy:F3} weighted");
        plain.Should().BeApproximately(5, 1.5);
        heavy.Should().BeApproximately(100.0 / 11, 1.5);
    }
}
