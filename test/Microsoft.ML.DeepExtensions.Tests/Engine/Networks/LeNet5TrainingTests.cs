using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Networks;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Networks;

/// <summary>
/// LeNet-5 trained end to end by <see cref="TrainingLoop"/> on the 8×8 digits of <c>data/tabular</c>, upsampled to
/// 16×16 grey images (the smallest size LeNet-5 takes is 12×12).
/// </summary>
[TestClass]
[DoNotParallelize] // changes Parallelism.MaxDegreeOfParallelism
public sealed class LeNet5TrainingTests
{
    private static readonly Lazy<(InMemoryDataset Train, InMemoryDataset Test)> Digits = new(() =>
    {
        var (train, test) = NumericCsv.Load("tabular/digits_8x8.csv").Split("label", 0.7, seed: 0, featureScale: 16f);
        return (Upsample(train), Upsample(test));
    });

    // (N, 64) rows of 8×8 pixels → (N, 1, 16, 16) images, each pixel repeated 2×2.
    private static InMemoryDataset Upsample(InMemoryDataset data)
    {
        var x = new float[data.Rows * 256];
        ReadOnlySpan<float> source = data.Features;
        for (int n = 0; n < data.Rows; n++)
            for (int p = 0; p < 256; p++)
                x[n * 256 + p] = source[n * 64 + (p / 32) * 8 + (p % 16) / 2];
        return new InMemoryDataset(x, [1, 16, 16], data.Targets.ToArray());
    }

    private static (Sequential Net, TrainingHistory History) Train(int epochs, ulong seed)
    {
        var net = ConvNets.LeNet5(1, 16, 16, 10);
        net.Initialize(new Rng(seed));
        var history = TrainingLoop.Fit(net, new CrossEntropyLoss(), new Adam(net.Parameters, learningRate: 2e-3f), Digits.Value.Train,
            new TrainingOptions { Epochs = epochs, BatchSize = 32, Seed = seed, Metric = new AccuracyMetric() });
        return (net, history);
    }

    [TestMethod]
    public void UpsamplingRepeatsEachPixelTwoByTwo()
    {
        var row = new InMemoryDataset(Enumerable.Range(0, 64).Select(i => (float)i).ToArray(), [64], [0f]);
        float[] image = Upsample(row).Features.ToArray();
        image[0].Should().Be(0f);
        image[1].Should().Be(0f);
        image[16].Should().Be(0f);
        image[17].Should().Be(0f);
        image[2].Should().Be(1f);
        image[32].Should().Be(8f);
        image[255].Should().Be(63f);
    }

    [TestMethod]
    public void ReachesNinetyPercentOnDigitsInEightEpochs()
    {
        var (net, history) = Train(epochs: 8, seed: 0);
        var (testLoss, accuracy) = TrainingLoop.Evaluate(net, new CrossEntropyLoss(), Digits.Value.Test, 256, new AccuracyMetric());
        Console.WriteLine($"digits 16×16 LeNet-5: test loss {testLoss:F4}, accuracy {accuracy:F4}; last epoch {history.Epochs[^1]}");
        history.Epochs[^1].Loss.Should().BeLessThan(0.5 * history.Epochs[0].Loss);
        accuracy!.Value.Should().BeGreaterThanOrEqualTo(0.9);
    }

    [TestMethod]
    public void TrainingIsBitIdenticalForOneAndTwoThreads()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            float[] Weights() => Train(epochs: 1, seed: 3).Net.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
            Parallelism.MaxDegreeOfParallelism = 1;
            float[] one = Weights();
            Parallelism.MaxDegreeOfParallelism = 2;
            Weights().Should().Equal(one);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }
}
