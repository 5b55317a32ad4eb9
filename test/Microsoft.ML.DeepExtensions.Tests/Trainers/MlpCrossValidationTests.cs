using System.Text.RegularExpressions;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// <c>mlContext.&lt;Task&gt;.CrossValidate</c> runs pipelines ending in an MLP trainer (a model per fold, every row
/// scored once, fold metrics in a sane range), and the trainers train on exactly the rows of a
/// <c>TrainTestSplit</c> (a filtered view whose row count is unknown).
/// </summary>
[TestClass]
public sealed class MlpCrossValidationTests
{
    [TestMethod]
    public void BinaryCrossValidateGivesSaneFoldMetrics()
    {
        var ml = new MLContext(seed: 0);
        var data = MlpTestTasks.BreastCancer(ml);
        var folds = ml.BinaryClassification.CrossValidate(data, MlpTestTasks.Binary(ml), numberOfFolds: 3, seed: 0);
        try
        {
            CheckFolds(folds.Select(f => (f.Fold, f.Model, f.ScoredHoldOutSet)).ToArray(), RowCount(data));
            folds.Should().OnlyContain(f => f.Metrics.Accuracy > 0.88 && f.Metrics.AreaUnderRocCurve > 0.95 && f.Metrics.LogLoss < 0.5);
        }
        finally
        {
            DisposeAll(folds.Select(f => f.Model));
        }

        var uncalibrated = ml.BinaryClassification.CrossValidateNonCalibrated(data, MlpTestTasks.Binary(ml), numberOfFolds: 3, seed: 0);
        DisposeAll(uncalibrated.Select(f => f.Model));
        uncalibrated.Should().HaveCount(3).And.OnlyContain(f => f.Metrics.Accuracy > 0.88);
    }

    [TestMethod]
    [DataRow("iris")]
    [DataRow("wine")]
    public void MulticlassCrossValidateGivesSaneFoldMetrics(string dataset)
    {
        var ml = new MLContext(seed: 0);
        var data = dataset == "iris" ? MlpTestTasks.Iris(ml) : MlpTestTasks.Wine(ml);
        var pipeline = dataset == "iris" ? MlpTestTasks.IrisMulticlass(ml) : MlpTestTasks.WineMulticlass(ml);
        var folds = ml.MulticlassClassification.CrossValidate(data, pipeline, numberOfFolds: 3, seed: 0);
        try
        {
            CheckFolds(folds.Select(f => (f.Fold, f.Model, f.ScoredHoldOutSet)).ToArray(), RowCount(data));
            folds.Should().OnlyContain(f => f.Metrics.MicroAccuracy > 0.85 && f.Metrics.LogLoss < 0.6 && f.Metrics.PerClassLogLoss.Count == 3);
        }
        finally
        {
            DisposeAll(folds.Select(f => f.Model));
        }
    }

    [TestMethod]
    public void RegressionCrossValidateGivesSaneFoldMetrics()
    {
        var ml = new MLContext(seed: 0);
        var data = MlpTestTasks.Diabetes(ml);
        var folds = ml.Regression.CrossValidate(data, MlpTestTasks.Regression(ml), numberOfFolds: 3, seed: 0);
        try
        {
            CheckFolds(folds.Select(f => (f.Fold, f.Model, f.ScoredHoldOutSet)).ToArray(), RowCount(data));
            folds.Should().OnlyContain(f => f.Metrics.RSquared > 0.25 && f.Metrics.RSquared < 0.8 && f.Metrics.MeanAbsoluteError < 60);
        }
        finally
        {
            DisposeAll(folds.Select(f => f.Model));
        }
    }

    [TestMethod]
    [DataRow("binary")]
    [DataRow("multiclass")]
    [DataRow("regression")]
    public void TrainerTrainsOnExactlyTheTrainTestSplitTrainRows(string task)
    {
        var ml = new MLContext(seed: 0);
        var trainedRows = new List<int>();
        ml.Log += (_, e) =>
        {
            var match = Regex.Match(e.Message, @"Training [\d,]+ parameters on ([\d,]+) rows");
            if (match.Success && e.Source.StartsWith("Mlp", StringComparison.Ordinal)) lock (trainedRows) trainedRows.Add(int.Parse(match.Groups[1].Value.Replace(",", "")));
        };
        var data = task switch { "binary" => MlpTestTasks.BreastCancer(ml), "multiclass" => MlpTestTasks.Wine(ml), _ => MlpTestTasks.Diabetes(ml) };
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 1);
        split.TrainSet.GetRowCount().Should().BeNull("precondition: the split is a filtered view of unknown length");
        int trainRows = RowCount(split.TrainSet), testRows = RowCount(split.TestSet);
        (trainRows + testRows).Should().Be(RowCount(data));
        testRows.Should().BeInRange(RowCount(data) / 6, RowCount(data) / 3);

        ITransformer model = task switch
        {
            "binary" => MlpTestTasks.Binary(ml).Fit(split.TrainSet),
            "multiclass" => MlpTestTasks.WineMulticlass(ml).Fit(split.TrainSet),
            _ => MlpTestTasks.Regression(ml).Fit(split.TrainSet),
        };
        using var _ = (IDisposable)model;
        var scored = model.Transform(split.TestSet);
        double quality = task switch
        {
            "binary" => ml.BinaryClassification.Evaluate(scored).Accuracy,
            "multiclass" => ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
            _ => ml.Regression.Evaluate(scored).RSquared,
        };

        trainedRows.Should().Equal([trainRows], "the trainer read every row of the training split and nothing else");
        quality.Should().BeGreaterThan(task == "regression" ? 0.2 : 0.9, "the model trained on the split scores its test rows sensibly (accuracy, or R²)");
    }

    private static void CheckFolds((int Fold, ITransformer Model, IDataView Scored)[] folds, int totalRows)
    {
        folds.Select(f => f.Fold).Should().Equal(0, 1, 2);
        folds.Select(f => f.Model).Should().OnlyHaveUniqueItems();
        folds.Sum(f => RowCount(f.Scored)).Should().Be(totalRows, "every row is held out exactly once");
        folds.Should().OnlyContain(f => f.Scored.Schema.GetColumnOrNull("Score") != null);
    }

    private static int RowCount(IDataView data)
    {
        int n = 0;
        using var cursor = data.GetRowCursor([]);
        while (cursor.MoveNext()) n++;
        return n;
    }

    private static void DisposeAll(IEnumerable<ITransformer> models)
    {
        foreach (var m in models) (m as IDisposable)?.Dispose();
    }
}
