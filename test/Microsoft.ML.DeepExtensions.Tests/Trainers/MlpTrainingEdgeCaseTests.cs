using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>Cases a new user ran into: awkward batch sizes with batch norm, label units, exploding runs, mutated options, disposed models.</summary>
[TestClass]
public sealed class MlpTrainingEdgeCaseTests
{
    [TestMethod]
    public void BatchNormTrainsWhenTheLastBatchWouldHoldOneRow()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.BreastCancer(ml); // 569 rows = 71 batches of 8 + 1
        using var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { BatchNormalization = true, BatchSize = 8, NumberOfEpochs = 2 }))
            .Fit(data);
        ml.BinaryClassification.Evaluate(model.Transform(data)).Accuracy.Should().BeGreaterThan(0.9);
    }

    [TestMethod]
    public void BatchNormWithBatchSizeOneIsRejectedUpFront()
    {
        var ml = new MLContext(seed: 0);
        var act = () => ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { BatchNormalization = true, BatchSize = 1 })
            .Fit(TrainerTestData.Binary(ml));
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "BatchSize").WithMessage("*BatchNormalization*");
    }

    [TestMethod]
    public void RegressionLearningRateDoesNotDependOnTheLabelsUnits()
    {
        // Diabetes targets are 25..346 (σ ≈ 77): plain SGD at 1e-2 works because the loss is optimized on the standardized target.
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(TabularData.Diabetes(ml), testFraction: 0.3, seed: 0);
        using var model = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { Optimizer = OptimizerKind.Sgd, LearningRate = 1e-2f, HiddenLayerSizes = [16], NumberOfEpochs = 100 }))
            .Fit(split.TrainSet);
        var metrics = ml.Regression.Evaluate(model.Transform(split.TestSet));
        metrics.RSquared.Should().BeGreaterThan(0.35);
        model.LastTransformer.Model.History.Epochs[^1].Loss.Should().BeGreaterThan(100, "the reported loss stays in label units (squared)");
    }

    [TestMethod]
    public void AdamWithAHugeLearningRateIsReportedAsDiverged()
    {
        var ml = new MLContext(seed: 0);
        var act = () => ml.Regression.Trainers.Mlp(learningRate: 1e6f, numberOfEpochs: 5).Fit(TabularData.Diabetes(ml)); // unnormalized features
        act.Should().Throw<TrainingDivergedException>().WithMessage("*epoch*times the first batch's loss*Normalize*");
    }

    [TestMethod]
    public void ChangingTheOptionsAfterwardsChangesNeitherTheTrainerNorItsModels()
    {
        var ml = new MLContext(seed: 0);
        var data = TrainerTestData.Binary(ml);
        var options = new MlpBinaryTrainer.Options { HiddenLayerSizes = [8], NumberOfEpochs = 2 };
        var trainer = ml.BinaryClassification.Trainers.Mlp(options);
        options.NumberOfEpochs = 7;
        options.HiddenLayerSizes[0] = 3;
        using var model = trainer.Fit(data);
        model.Model.History.Epochs.Should().HaveCount(2);
        model.Model.Network.ParameterCount.Should().Be(4 * 8 + 8 + 8 + 1);
        var recorded = (MlpBinaryTrainer.Options)model.Model.Options;
        recorded.NumberOfEpochs.Should().Be(2);
        recorded.HiddenLayerSizes.Should().Equal(8);
    }

    [TestMethod]
    public void ADisposedModelRefusesToServeAPredictionEngine()
    {
        var ml = new MLContext(seed: 0);
        var data = TrainerTestData.Binary(ml);
        var model = ml.BinaryClassification.Trainers.Mlp(numberOfEpochs: 1).Fit(data);
        model.Dispose();
        var act = () => ml.Model.CreatePredictionEngine<BoolRow, BinaryScore>(model);
        act.Should().Throw<ObjectDisposedException>();
    }

    [TestMethod]
    public void OutOfRangeMomentumAndTooSmallValidationFractionAreNamed()
    {
        var ml = new MLContext(seed: 0);
        var data = TrainerTestData.Binary(ml, rows: 50);
        var momentum = () => ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { Optimizer = OptimizerKind.Sgd, Momentum = 1.5f }).Fit(data);
        momentum.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "Momentum");
        var fraction = () => ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { ValidationFraction = 0.001 }).Fit(data);
        fraction.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == "ValidationFraction").WithMessage("*50 training rows*validation*");
    }

    /// <summary>ML.NET's binary output columns.</summary>
    public sealed class BinaryScore
    {
        /// <summary>The logit.</summary>
        public float Score { get; set; }
    }
}
