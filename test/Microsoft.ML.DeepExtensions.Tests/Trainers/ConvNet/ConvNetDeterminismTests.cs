using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// ConvNet training is a pure function of the seed: the same seed gives bit-identical scores, a different seed
/// different ones, and the engine's thread count changes nothing. Covered on LeNet-5 (MNIST images), VGG (batch
/// norm and dropout) and ResNet (batch norm, residual blocks) with shuffling.
/// </summary>
/// <remarks>Not run in parallel with other classes: it sets the process-wide <see cref="Parallelism.MaxDegreeOfParallelism"/>.</remarks>
[TestClass]
[DoNotParallelize]
public sealed class ConvNetDeterminismTests
{
    private static float[] Scores(MLContext ml, ConvNetArchitecture architecture, int? optionsSeed = null)
    {
        IDataView train, test;
        var options = new ConvNetMulticlassTrainer.Options { Architecture = architecture, NumberOfEpochs = 2, BatchSize = 16, Seed = optionsSeed };
        if (architecture == ConvNetArchitecture.LeNet5)
        {
            train = ConvNetTestData.Mnist(ml, "mnist", "train", take: 256);
            test = ConvNetTestData.Mnist(ml, "mnist", "t10k", take: 50);
        }
        else
        {
            (options.StageChannels, options.BlocksPerStage) = ([8, 16], 1);
            train = ml.Data.LoadFromEnumerable(BarImages.Multiclass(96, seed: 1));
            test = ml.Data.LoadFromEnumerable(BarImages.Multiclass(30, seed: 2));
        }
        using var model = ml.MulticlassClassification.Trainers.ConvNet(options).Fit(train);
        return TrainerTestData.Vectors(model.Transform(test), "Score").SelectMany(s => s).ToArray();
    }

    private static void ShouldBeBitIdentical(float[] actual, float[] expected)
    {
        actual.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
            BitConverter.SingleToInt32Bits(actual[i]).Should().Be(BitConverter.SingleToInt32Bits(expected[i]), $"score {i} should be bit-identical ({actual[i]:R} vs {expected[i]:R})");
    }

    [TestMethod]
    [DataRow(ConvNetArchitecture.LeNet5)]
    [DataRow(ConvNetArchitecture.Vgg)]
    [DataRow(ConvNetArchitecture.ResNet)]
    public void SameSeedGivesBitIdenticalScoresAndADifferentSeedDifferentOnes(ConvNetArchitecture architecture)
    {
        var first = Scores(new MLContext(seed: 0), architecture);
        ShouldBeBitIdentical(Scores(new MLContext(seed: 0), architecture), first);
        ShouldBeBitIdentical(Scores(new MLContext(seed: 5), architecture, optionsSeed: 9), Scores(new MLContext(seed: 6), architecture, optionsSeed: 9));
        var other = Scores(new MLContext(seed: 1), architecture);
        other.Zip(first).Count(p => p.First != p.Second).Should().BeGreaterThan(first.Length / 2, "a different seed gives a different model");
    }

    [TestMethod]
    [DataRow(ConvNetArchitecture.LeNet5)]
    [DataRow(ConvNetArchitecture.ResNet)]
    public void OneAndTwoEngineThreadsGiveBitIdenticalScores(ConvNetArchitecture architecture)
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 1;
            var one = Scores(new MLContext(seed: 0), architecture);
            Parallelism.MaxDegreeOfParallelism = 2;
            ShouldBeBitIdentical(Scores(new MLContext(seed: 0), architecture), one);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }
}
