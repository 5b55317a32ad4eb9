using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// A run whose loss or gradients become non-finite stops with <see cref="TrainingDivergedException"/>, naming the epoch
/// and suggesting to normalize the features; <c>Fit</c> returns no model.
/// </summary>
/// <remarks>
/// Plain SGD on the unnormalized diabetes features (values up to ~300) is reliably unstable: the squared error's
/// gradient grows with the error, so the weights overflow within a few steps. (Adam with a rate of 1e6 is not: its
/// steps are bounded by the rate, so the loss grows to ~1e36 but stays finite.)
/// </remarks>
[TestClass]
public sealed class MlpDivergenceTests
{
    private static void ShouldBeAClearDivergence(TrainingDivergedException e, int epochs)
    {
        e.Epoch.Should().BeInRange(1, epochs);
        e.Batch.Should().BeGreaterThanOrEqualTo(1);
        e.Message.Should().Contain($"epoch {e.Epoch}").And.Contain("Normalize the features").And.Contain("learning rate");
    }

    private static MlpRegressionTrainer.Options Sgd(float learningRate, int epochs) =>
        new() { Optimizer = OptimizerKind.Sgd, LearningRate = learningRate, NumberOfEpochs = epochs, Seed = 0 };

    [TestMethod]
    public void HugeLearningRateOnUnnormalizedDiabetesThrowsAndReturnsNoModel()
    {
        var ml = new MLContext(seed: 0);
        var options = Sgd(1e6f, epochs: 5);
        RegressionNeuralPredictionTransformer? model = null;
        var act = () => model = ml.Regression.Trainers.Mlp(options).Fit(TabularData.Diabetes(ml));
        ShouldBeAClearDivergence(act.Should().Throw<TrainingDivergedException>().Which, options.NumberOfEpochs);
        model.Should().BeNull();
    }

    [TestMethod]
    public void DivergenceInALaterEpochNamesThatEpoch()
    {
        var ml = new MLContext(seed: 0);
        var options = Sgd(1.5e-5f, epochs: 20); // linear model on raw diabetes features: slowly growing oscillation
        options.HiddenLayerSizes = [];
        var finished = new List<int>();
        options.OnEpochEnd = m => finished.Add(m.Epoch);
        var act = () => ml.Regression.Trainers.Mlp(options).Fit(TabularData.Diabetes(ml));
        var e = act.Should().Throw<TrainingDivergedException>().Which;
        ShouldBeAClearDivergence(e, options.NumberOfEpochs);
        e.Epoch.Should().BeGreaterThan(1, "this rate diverges slowly (epoch 6 when written)");
        finished.Should().Equal(Enumerable.Range(1, e.Epoch - 1), "the epochs before the diverged one finished, and no later one");
    }

    [TestMethod]
    public void DivergenceInsideAPipelineIsNotWrapped()
    {
        var ml = new MLContext(seed: 0);
        var pipeline = ml.Transforms.CopyColumns("RawFeatures", "Features")
            .Append(ml.Regression.Trainers.Mlp(Sgd(1e6f, epochs: 3)));
        var act = () => pipeline.Fit(TabularData.Diabetes(ml));
        ShouldBeAClearDivergence(act.Should().Throw<TrainingDivergedException>().Which, 3);
    }
}
