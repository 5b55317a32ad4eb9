using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>
/// Exploding gradients: a ReLU RNN over 100 steps trained with plain SGD at a learning rate of 5 blows up within a few
/// batches. Without clipping, training stops with a <see cref="TrainingDivergedException"/> naming the epoch and batch,
/// and the weights stay finite (the bad step never reaches them); with <c>ClipGradientNorm</c> the loss stays finite.
/// </summary>
[TestClass]
public sealed class RecurrentDivergenceTests
{
    private const int Steps = 100, Rows = 256;

    /// <summary>Series of 100 values in [0, 1); the label is their sum (≈ 50).</summary>
    private static (float[][] X, float[] Y) Data()
    {
        var random = new Random(1);
        var x = Enumerable.Range(0, Rows).Select(_ => Enumerable.Range(0, Steps).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        return (x, x.Select(r => r.Sum()).ToArray());
    }

    private static IDataView Load(MLContext ml)
    {
        var (x, y) = Data();
        return TrainerTestData.Load(ml, x.Select((r, i) => new FloatRow { Features = r, Label = y[i] }), Steps);
    }

    private static RecurrentRegressionTrainer.Options Options(float? clip) => new()
    {
        HiddenSize = 32, RnnNonlinearity = RnnNonlinearity.ReLU, Optimizer = OptimizerKind.Sgd, LearningRate = 5f,
        NumberOfEpochs = 5, ClipGradientNorm = clip, Seed = 0,
    };

    [TestMethod]
    public void WithoutClippingTrainingStopsWithAClearError()
    {
        var ml = new MLContext(seed: 0);
        RegressionNeuralPredictionTransformer? model = null;
        var act = () => model = ml.Regression.Trainers.Rnn(Options(clip: null)).Fit(Load(ml));
        var e = act.Should().Throw<TrainingDivergedException>().Which;
        e.Epoch.Should().Be(1);
        e.Message.Should().Contain($"epoch {e.Epoch}, batch {e.Batch}").And.Contain("gradient clipping");
        model.Should().BeNull();
    }

    [TestMethod]
    public void WithClippingTheLossStaysFinite()
    {
        var ml = new MLContext(seed: 0);
        using var model = ml.Regression.Trainers.Rnn(Options(clip: 1f)).Fit(Load(ml));
        model.Model.History.Epochs.Should().HaveCount(5).And.OnlyContain(m => double.IsFinite(m.Loss));
        model.Model.Network.Parameters.Should().OnlyContain(p => p.Value.IsFinite());
    }

    [TestMethod]
    public void TheWeightsStayFiniteWhenTrainingDiverges()
    {
        // The same kind of network in the engine's loop (plain MSE in label units, rate 1), to look at the weights after the exception.
        var (x, y) = Data();
        float mean = y.Average(), std = MathF.Sqrt(y.Average(v => (v - mean) * (v - mean)));
        var network = new Sequential(new RNN(1, 32, nonlinearity: RnnNonlinearity.ReLU), new SequencePooling(), new Linear(32, 1), new Rescaling(std, mean));
        network.Initialize(new Rng(0));
        var data = new InMemoryDataset(x.SelectMany(r => r).ToArray(), [Steps, 1], y);
        var act = () => TrainingLoop.Fit(network, new MSELoss(), new Sgd(network.Parameters, 1f), data, new TrainingOptions { Epochs = 5, Seed = 1 });
        act.Should().Throw<TrainingDivergedException>();
        network.Parameters.Should().OnlyContain(p => p.Value.IsFinite(), "no non-finite step reached the weights");
    }
}
