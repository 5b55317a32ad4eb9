using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// <c>mlContext.&lt;Task&gt;.Evaluate</c> accepts the output of the three MLP trainers, and its metrics are those
/// computed by hand from the scored columns (so the columns mean what ML.NET's contract says) and are sane.
/// </summary>
[TestClass]
public sealed class MlpEvaluateTests
{
    [TestMethod]
    public void BinaryEvaluateMatchesTheScoredColumnsAndIsAccurate()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.BreastCancer(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.Binary(ml).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);

        var metrics = ml.BinaryClassification.Evaluate(scored);
        var uncalibrated = ml.BinaryClassification.EvaluateNonCalibrated(scored);

        var labels = scored.GetColumn<bool>("Label").ToArray();
        var score = scored.GetColumn<float>("Score").ToArray();
        var probability = scored.GetColumn<float>("Probability").ToArray();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        labels.Should().HaveCountGreaterThan(100);
        double correct = 0, logLoss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            probability[i].Should().BeApproximately((float)(1 / (1 + Math.Exp(-score[i]))), 1e-6f, "Probability = sigmoid(Score)");
            predicted[i].Should().Be(score[i] > 0, "PredictedLabel = Score > 0");
            if (predicted[i] == labels[i]) correct++;
            logLoss -= Math.Log2(Math.Max(labels[i] ? probability[i] : 1 - probability[i], 1e-15)); // ML.NET's binary log-loss is in bits
        }
        metrics.Accuracy.Should().BeApproximately(correct / labels.Length, 1e-12);
        metrics.LogLoss.Should().BeApproximately(logLoss / labels.Length, 1e-4);
        uncalibrated.Accuracy.Should().Be(metrics.Accuracy);
        uncalibrated.AreaUnderRocCurve.Should().BeApproximately(metrics.AreaUnderRocCurve, 1e-12, "Probability is monotone in Score");
        metrics.Accuracy.Should().BeGreaterThan(0.9);
        metrics.AreaUnderRocCurve.Should().BeGreaterThan(0.97);
        metrics.LogLoss.Should().BeLessThan(0.3);
    }

    [TestMethod]
    [DataRow("iris")]
    [DataRow("wine")]
    public void MulticlassEvaluateMatchesTheScoredColumnsAndIsAccurate(string dataset)
    {
        var ml = new MLContext(seed: 0);
        var data = dataset == "iris" ? MlpTestTasks.Iris(ml) : MlpTestTasks.Wine(ml);
        var split = ml.Data.TrainTestSplit(data, 0.3, seed: 0);
        var pipeline = dataset == "iris" ? MlpTestTasks.IrisMulticlass(ml) : MlpTestTasks.WineMulticlass(ml);
        using var model = pipeline.Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);

        var metrics = ml.MulticlassClassification.Evaluate(scored);

        var labels = scored.GetColumn<uint>("Label").ToArray();
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        double correct = 0, logLoss = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            scores[i].Should().HaveCount(3);
            scores[i].Sum().Should().BeApproximately(1f, 1e-5f, "Score holds class probabilities");
            predicted[i].Should().Be((uint)MlpTestTasks.ArgMax(scores[i]) + 1, "PredictedLabel is the key of argmax(Score)");
            if (predicted[i] == labels[i]) correct++;
            logLoss -= Math.Log(Math.Max(scores[i][labels[i] - 1], 1e-15));
        }
        metrics.MicroAccuracy.Should().BeApproximately(correct / labels.Length, 1e-12);
        metrics.LogLoss.Should().BeApproximately(logLoss / labels.Length, 1e-4);
        metrics.PerClassLogLoss.Should().HaveCount(3);
        metrics.ConfusionMatrix.NumberOfClasses.Should().Be(3);
        metrics.MicroAccuracy.Should().BeGreaterThan(0.9);
        metrics.MacroAccuracy.Should().BeGreaterThan(0.9);
        metrics.LogLoss.Should().BeLessThan(0.4);
    }

    [TestMethod]
    public void RegressionEvaluateMatchesTheScoredColumnAndExplainsVariance()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(MlpTestTasks.Diabetes(ml), 0.3, seed: 0);
        using var model = MlpTestTasks.Regression(ml).Fit(split.TrainSet);
        var scored = model.Transform(split.TestSet);

        var metrics = ml.Regression.Evaluate(scored);

        var labels = scored.GetColumn<float>("Label").ToArray();
        var score = scored.GetColumn<float>("Score").ToArray();
        double mae = 0, mse = 0, mean = labels.Average(v => (double)v), total = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double e = score[i] - (double)labels[i];
            mae += Math.Abs(e);
            mse += e * e;
            total += (labels[i] - mean) * (labels[i] - mean);
        }
        metrics.MeanAbsoluteError.Should().BeApproximately(mae / labels.Length, 1e-6 * mae);
        metrics.MeanSquaredError.Should().BeApproximately(mse / labels.Length, 1e-6 * mse);
        metrics.RSquared.Should().BeApproximately(1 - mse / total, 1e-6);
        metrics.RSquared.Should().BeGreaterThan(0.35);
        metrics.MeanAbsoluteError.Should().BeLessThan(55, "the target's mean absolute deviation is about 65");
    }
}
