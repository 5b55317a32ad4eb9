using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Engine.Schedules;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Early stopping returns the weights of the best epoch: the returned model's validation loss, computed from its
/// scores, is the minimum of the history, and the model equals one trained for exactly <c>BestEpoch</c> epochs. The
/// same options object fitted twice (with a stateful schedule and early stopping) gives the same model.
/// </summary>
[TestClass]
public sealed class MlpEarlyStoppingTests
{
    /// <summary>Relative tolerance between the engine's float32 mean cross-entropy (from logits) and ours (float64, from the ONNX softmax).</summary>
    private const double LossTolerance = 1e-5;

    /// <summary>Wine, labels as keys, features standardized on the training part: 40 training rows (easy to overfit), the rest for validation.</summary>
    private static (IDataView Train, IDataView Validation) Wine(MLContext ml)
    {
        var split = ml.Data.TrainTestSplit(TabularData.Wine(ml), testFraction: 0.75, seed: 0);
        var prep = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Fit(split.TrainSet);
        return (prep.Transform(split.TrainSet), prep.Transform(split.TestSet));
    }

    /// <summary>A setting that overfits 40 rows quickly, so the validation loss turns up after a few epochs.</summary>
    private static MlpMulticlassTrainer.Options Overfitting(EarlyStopping? earlyStopping, int epochs = 60) => new()
    {
        HiddenLayerSizes = [128, 128],
        LearningRate = 1e-2f,
        BatchSize = 8,
        NumberOfEpochs = epochs,
        EarlyStopping = earlyStopping,
        Seed = 3,
    };

    /// <summary>Mean softmax cross-entropy of the model's Score probabilities against the key labels, in float64.</summary>
    private static double CrossEntropy(ITransformer model, IDataView data)
    {
        var scored = model.Transform(data);
        var p = TrainerTestData.Vectors(scored, "Score");
        var labels = TrainerTestData.Keys(scored, "Label");
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
            sum -= Math.Log(p[i][labels[i] - 1]);
        return sum / p.Length;
    }

    private static float[] Scores(ITransformer model, IDataView data) =>
        TrainerTestData.Vectors(model.Transform(data), "Score").SelectMany(s => s).ToArray();

    private static void ShouldHaveRestoredTheMinimum(TrainingHistory history)
    {
        var losses = history.Epochs.Select(e => e.ValidationLoss!.Value).ToArray();
        int argmin = Array.IndexOf(losses, losses.Min()) + 1;
        history.BestEpoch.Should().Be(argmin, "BestEpoch is the epoch of the smallest validation loss");
        history.RestoredBestWeights.Should().BeTrue("the validation loss rose after epoch {0}, so the test exercises the restore", argmin);
        argmin.Should().BeLessThan(history.Epochs.Count);
    }

    [TestMethod]
    public void ValidationSetLossOfReturnedModelIsTheRecordedMinimum()
    {
        var ml = new MLContext(seed: 0);
        var (train, validation) = Wine(ml);
        using var model = ml.MulticlassClassification.Trainers.Mlp(Overfitting(new EarlyStopping { Patience = 5 })).Fit(train, validation);
        var history = model.Model.History;
        ShouldHaveRestoredTheMinimum(history);
        history.StopReason.Should().Be(StopReason.EarlyStopping);

        double best = history.Epochs.Min(e => e.ValidationLoss!.Value);
        double last = history.Epochs[^1].ValidationLoss!.Value;
        double actual = CrossEntropy(model, validation);
        Console.WriteLine($"best epoch {history.BestEpoch} of {history.Epochs.Count}: recorded {best:R}, recomputed {actual:R} (rel {Math.Abs(actual - best) / best:E2}), last {last:R}");
        actual.Should().BeApproximately(best, LossTolerance * best, "the returned model is the best epoch's");
        Math.Abs(actual - last).Should().BeGreaterThan(100 * LossTolerance * best, "the last epoch's model is measurably different");
    }

    [TestMethod]
    public void ReturnedModelEqualsOneTrainedForBestEpochEpochs()
    {
        var ml = new MLContext(seed: 0);
        var (train, validation) = Wine(ml);
        using var stopped = ml.MulticlassClassification.Trainers.Mlp(Overfitting(new EarlyStopping { Patience = 100 })).Fit(train, validation);
        var history = stopped.Model.History;
        ShouldHaveRestoredTheMinimum(history);
        history.StopReason.Should().Be(StopReason.Completed, "with a patience of 100 all epochs run, and the best weights are still restored");

        using var exact = ml.MulticlassClassification.Trainers.Mlp(Overfitting(null, epochs: history.BestEpoch!.Value)).Fit(train, validation);
        Scores(stopped, validation).Should().Equal(Scores(exact, validation));
    }

    [TestMethod]
    public void ValidationFractionRestoresTheBestEpochIncludingBatchNormBuffers()
    {
        var ml = new MLContext(seed: 0);
        var wine = ml.Data.TakeRows(ml.Data.ShuffleRows(TabularData.Wine(ml), seed: 0), 80);
        var all = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMeanVariance("Features")).Fit(wine).Transform(wine);
        MlpMulticlassTrainer.Options Options(EarlyStopping? early, int epochs = 40)
        {
            var o = Overfitting(early, epochs);
            o.ValidationFraction = 0.5;
            o.BatchNormalization = true;
            o.DropoutRate = 0.1f;
            return o;
        }

        using var stopped = ml.MulticlassClassification.Trainers.Mlp(Options(new EarlyStopping { Patience = 100 })).Fit(all);
        var history = stopped.Model.History;
        ShouldHaveRestoredTheMinimum(history);

        using var exact = ml.MulticlassClassification.Trainers.Mlp(Options(null, epochs: history.BestEpoch!.Value)).Fit(all);
        exact.Model.History.Epochs[^1].ValidationLoss.Should().Be(history.Epochs.Min(e => e.ValidationLoss));
        Scores(stopped, all).Should().Equal(Scores(exact, all), "the returned weights and batch-norm statistics are those of epoch {0}", history.BestEpoch);
    }

    [TestMethod]
    public void FittingTwiceWithTheSameOptionsGivesTheSameModel()
    {
        var ml = new MLContext(seed: 0);
        var (train, validation) = Wine(ml);
        var plateau = new ReduceLROnPlateau(factor: 0.5, patience: 1);
        var options = Overfitting(new EarlyStopping { Patience = 6 }, epochs: 40);
        options.LearningRateSchedule = plateau;
        var trainer = ml.MulticlassClassification.Trainers.Mlp(options);

        using var first = trainer.Fit(train, validation);
        plateau.ReductionCount.Should().BeGreaterThan(0, "the schedule carries state out of the first fit");
        first.Model.History.Epochs.Select(e => e.LearningRate).Distinct().Should().HaveCountGreaterThan(1);
        using var second = trainer.Fit(train, validation);

        second.Model.History.Epochs.Should().HaveCount(first.Model.History.Epochs.Count);
        second.Model.History.BestEpoch.Should().Be(first.Model.History.BestEpoch);
        Scores(second, validation).Should().Equal(Scores(first, validation));
    }

    [TestMethod]
    public void TheSameOptionsInTwoContextsWithTheSameSeedGiveTheSameModel()
    {
        float[] Fit(MlpMulticlassTrainer.Options shared)
        {
            var ml = new MLContext(seed: 0);
            var (train, validation) = Wine(ml);
            using var model = ml.MulticlassClassification.Trainers.Mlp(shared).Fit(train, validation);
            return Scores(model, validation);
        }

        var options = Overfitting(new EarlyStopping { Patience = 4 }, epochs: 30);
        options.Seed = null; // drawn from the context's seed
        options.LearningRateSchedule = new ReduceLROnPlateau(factor: 0.5, patience: 1);
        Fit(options).Should().Equal(Fit(options));
    }
}
