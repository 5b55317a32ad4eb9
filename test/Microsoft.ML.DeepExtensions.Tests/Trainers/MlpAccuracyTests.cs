using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Test-set quality of the MLP trainers on the shipped real data sets: 70/30 split (TrainTestSplit, seed 0), features
/// normalized in the pipeline (NormalizeMeanVariance), MLContext(seed: 0). Thresholds from the issue.
/// </summary>
[TestClass]
public sealed class MlpAccuracyTests
{
    private static (IDataView Train, IDataView Test) Split(MLContext ml, IDataView data)
    {
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 0);
        return (split.TrainSet, split.TestSet);
    }

    [TestMethod]
    public void IrisMulticlassReaches93Percent()
    {
        var ml = new MLContext(seed: 0);
        var (train, test) = Split(ml, TabularData.Iris(ml));
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [32], numberOfEpochs: 100, batchSize: 16, learningRate: 3e-3f))
            .Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"iris: MicroAccuracy {metrics.MicroAccuracy:F4}, LogLoss {metrics.LogLoss:F4}");
        metrics.MicroAccuracy.Should().BeGreaterThanOrEqualTo(0.93);
    }

    [TestMethod]
    public void WineMulticlassReaches94Percent()
    {
        var ml = new MLContext(seed: 0);
        var (train, test) = Split(ml, TabularData.Wine(ml));
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [32], numberOfEpochs: 60, batchSize: 16, learningRate: 3e-3f))
            .Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"wine: MicroAccuracy {metrics.MicroAccuracy:F4}, LogLoss {metrics.LogLoss:F4}");
        metrics.MicroAccuracy.Should().BeGreaterThanOrEqualTo(0.94);
    }

    [TestMethod]
    public void BreastCancerBinaryReaches95PercentAndAuc98()
    {
        var ml = new MLContext(seed: 0);
        var (train, test) = Split(ml, TabularData.BreastCancer(ml));
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayerSizes = [32], NumberOfEpochs = 100, WeightDecay = 1e-2f }))
            .Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"breast cancer: Accuracy {metrics.Accuracy:F4}, AUC {metrics.AreaUnderRocCurve:F4}, F1 {metrics.F1Score:F4}");
        metrics.Accuracy.Should().BeGreaterThanOrEqualTo(0.95);
        metrics.AreaUnderRocCurve.Should().BeGreaterThanOrEqualTo(0.98);
    }

    [TestMethod]
    public void DigitsMulticlassReaches96Percent()
    {
        var ml = new MLContext(seed: 0);
        var (train, test) = Split(ml, TabularData.Digits(ml));
        var model = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(hiddenLayerSizes: [128], numberOfEpochs: 30))
            .Fit(train);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        Console.WriteLine($"digits: MicroAccuracy {metrics.MicroAccuracy:F4}, LogLoss {metrics.LogLoss:F4}");
        metrics.MicroAccuracy.Should().BeGreaterThanOrEqualTo(0.96);
    }

    [TestMethod]
    public void DiabetesRegressionReachesRSquared040()
    {
        var ml = new MLContext(seed: 0);
        var (train, test) = Split(ml, TabularData.Diabetes(ml));
        var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { HiddenLayerSizes = [16], NumberOfEpochs = 300, WeightDecay = 1e-2f }))
            .Fit(train);
        var metrics = ml.Regression.Evaluate(model.Transform(test));
        Console.WriteLine($"diabetes: RSquared {metrics.RSquared:F4}, MAE {metrics.MeanAbsoluteError:F2}");
        metrics.RSquared.Should().BeGreaterThanOrEqualTo(0.40);
    }
}
