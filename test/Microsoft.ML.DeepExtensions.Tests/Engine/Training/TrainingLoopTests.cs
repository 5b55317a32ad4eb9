using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Engine.Schedules;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Training;

[TestClass]
[DoNotParallelize] // changes Parallelism.MaxDegreeOfParallelism
public sealed class TrainingLoopTests
{
    private static readonly Lazy<(InMemoryDataset Train, InMemoryDataset Test)> Digits =
        new(() => NumericCsv.Load("tabular/digits_8x8.csv").Split("label", 0.7, seed: 0, featureScale: 16f));

    private static Sequential DigitsMlp(ulong seed, int hidden = 128)
    {
        var net = new Sequential(new Linear(64, hidden), new ReLU(), new Linear(hidden, 10));
        net.Initialize(new Rng(seed));
        return net;
    }

    private static (Sequential Net, TrainingHistory History) TrainDigits(ulong seed, int epochs = 30, Action<EpochMetrics>? onEpoch = null, bool wide = false)
    {
        // Wide: 256x64·64x1024 products (33 MFLOP) exceed Gemm's threading threshold, so 2 threads really split them.
        var net = DigitsMlp(seed, wide ? 1024 : 128);
        var optimizer = new Adam(net.Parameters, learningRate: 1e-3f);
        var history = TrainingLoop.Fit(net, new CrossEntropyLoss(), optimizer, Digits.Value.Train,
            new TrainingOptions { Epochs = epochs, BatchSize = wide ? 256 : 32, Seed = seed, Metric = new AccuracyMetric(), OnEpochEnd = onEpoch });
        return (net, history);
    }

    private static double TestAccuracy(Layer net)
    {
        var (_, acc) = TrainingLoop.Evaluate(net, new CrossEntropyLoss(), Digits.Value.Test, 256, new AccuracyMetric());
        return acc!.Value;
    }

    private static float[] Flatten(Layer net) => net.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    [TestMethod]
    public void MlpReachesAtLeast96PercentOnDigits()
    {
        var (net, history) = TrainDigits(seed: 0);
        double accuracy = TestAccuracy(net);
        Console.WriteLine($"digits 8x8 test accuracy {accuracy:F4}; final {history.Epochs[^1]}");
        accuracy.Should().BeGreaterThanOrEqualTo(0.96);
        history.Epochs.Should().HaveCount(30);
        history.Epochs[^1].Loss.Should().BeLessThan(history.Epochs[0].Loss);
    }

    [TestMethod]
    public void SameSeedGivesBitIdenticalWeightsWhateverTheThreadCount()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            (2.0 * 256 * 1024 * 64).Should().BeGreaterThan(Gemm.ParallelFlopThreshold);
            Parallelism.MaxDegreeOfParallelism = 1;
            var a = Flatten(TrainDigits(seed: 7, epochs: 3, wide: true).Net);
            var b = Flatten(TrainDigits(seed: 7, epochs: 3, wide: true).Net);
            Parallelism.MaxDegreeOfParallelism = 2;
            var c = Flatten(TrainDigits(seed: 7, epochs: 3, wide: true).Net);
            var d = Flatten(TrainDigits(seed: 8, epochs: 3, wide: true).Net);
            b.Should().Equal(a, "two runs with the same seed");
            c.Should().Equal(a, "1 and 2 engine threads");
            d.Should().NotEqual(a, "another seed");
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void EarlyStoppingRestoresTheBestEpochsWeights()
    {
        // A small training set and a large learning rate overfit quickly, so the validation loss turns up.
        var (train, test) = Digits.Value;
        var small = train.Subset(Enumerable.Range(0, 60).ToArray());
        var net = DigitsMlp(3);
        var history = TrainingLoop.Fit(net, new CrossEntropyLoss(), new Adam(net.Parameters, learningRate: 0.02f), small,
            new TrainingOptions { Epochs = 60, BatchSize = 8, Seed = 3, EarlyStopping = new EarlyStopping { Patience = 4 } }, validation: test);

        var losses = history.Epochs.Select(e => e.ValidationLoss!.Value).ToArray();
        int argmin = Array.IndexOf(losses, losses.Min()) + 1;
        history.StopReason.Should().Be(StopReason.EarlyStopping);
        history.BestEpoch.Should().Be(argmin);
        history.Epochs[^1].Epoch.Should().Be(argmin + 4, "patience 4 stops four epochs after the best");
        history.RestoredBestWeights.Should().BeTrue();
        TrainingLoop.Evaluate(net, new CrossEntropyLoss(), test, 8).Loss.Should().Be(losses.Min(), "the returned model is the best epoch's");
    }

    [TestMethod]
    public void NonFiniteLossStopsWithTheEpochAndLeavesFiniteWeights()
    {
        // Regression on unnormalized pixels (0..16) with a huge learning rate overflows within a few steps.
        var raw = NumericCsv.Load("tabular/digits_8x8.csv").Split("label", 0.7, seed: 0, featureScale: 1f).Train;
        var net = new Sequential(new Linear(64, 16), new ReLU(), new Linear(16, 1));
        net.Initialize(new Rng(0));
        var act = () => TrainingLoop.Fit(net, new MSELoss(), new Sgd(net.Parameters, learningRate: 1e6f), raw,
            new TrainingOptions { Epochs = 5, BatchSize = 32 });
        var e = act.Should().Throw<TrainingDivergedException>().Which;
        e.Epoch.Should().Be(1);
        e.Batch.Should().BeGreaterThan(0);
        e.Message.Should().Contain($"epoch {e.Epoch}, batch {e.Batch}").And.Contain("Normalize");
        net.Parameters.Should().OnlyContain(p => p.Value.IsFinite(), "the bad step never reaches the weights");
    }

    [TestMethod]
    public void CancellationThrowsAndTimeBudgetStopsEarly()
    {
        var (train, _) = Digits.Value;
        var net = DigitsMlp(0);
        using var cts = new CancellationTokenSource();
        var cancelled = () => TrainingLoop.Fit(net, new CrossEntropyLoss(), new Adam(net.Parameters), train,
            new TrainingOptions { Epochs = 100, CancellationToken = cts.Token, OnEpochEnd = e => { if (e.Epoch == 2) cts.Cancel(); } });
        cancelled.Should().Throw<OperationCanceledException>();

        var history = TrainingLoop.Fit(net, new CrossEntropyLoss(), new Adam(net.Parameters), train,
            new TrainingOptions { Epochs = 100_000, TimeBudget = TimeSpan.FromMilliseconds(300) });
        history.StopReason.Should().Be(StopReason.TimeBudget);
        history.Epochs.Count.Should().BeLessThan(100_000);
    }

    [TestMethod]
    public void ScheduleSetsTheLearningRateOfEachEpochAndCallbackSeesEveryEpoch()
    {
        var (train, _) = Digits.Value;
        var net = DigitsMlp(0);
        var seen = new List<int>();
        var history = TrainingLoop.Fit(net, new CrossEntropyLoss(), new Sgd(net.Parameters, learningRate: 0.1f), train,
            new TrainingOptions { Epochs = 6, BatchSize = 64, Schedule = new StepLR(stepSize: 2, gamma: 0.5f), OnEpochEnd = e => seen.Add(e.Epoch) });
        history.Epochs.Select(e => e.LearningRate).Should().Equal(0.1f, 0.1f, 0.05f, 0.05f, 0.025f, 0.025f);
        seen.Should().Equal(1, 2, 3, 4, 5, 6);
    }

    [TestMethod]
    public void EmptyOrMismatchedDataIsRejected()
    {
        var net = DigitsMlp(0);
        var wrongShape = new InMemoryDataset(new float[10 * 63], [63], new float[10]);
        var act = () => TrainingLoop.Fit(net, new CrossEntropyLoss(), new Adam(net.Parameters), wrongShape, new TrainingOptions());
        act.Should().Throw<ArgumentException>().WithMessage("*63*");
        var empty = () => new InMemoryDataset([], [64], []);
        empty.Should().Throw<ArgumentException>().WithMessage("*no examples*");
    }
}
