using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Training is a pure function of the seed: the same seed (the <see cref="MLContext"/>'s, or <c>Options.Seed</c>) gives
/// bit-identical scores, a different seed different scores, and the engine's thread count changes nothing.
/// </summary>
/// <remarks>Not run in parallel with other classes: it sets the process-wide <see cref="Parallelism.MaxDegreeOfParallelism"/>.</remarks>
[TestClass]
[DoNotParallelize]
public sealed class MlpDeterminismTests
{
    /// <summary>Digits (64 features, 10 classes) with dropout, batch norm and shuffling: every random stream is used.</summary>
    private static float[] DigitsScores(MLContext ml, int? optionsSeed = null, bool wide = false)
    {
        var data = ml.Data.TakeRows(TabularData.Digits(ml), 600);
        var options = new MlpMulticlassTrainer.Options
        {
            // Wide: 256x64·64x512 products are 16.8 MFLOP, above Gemm's threading threshold, so 2 threads really split them.
            HiddenLayerSizes = wide ? [512, 256] : [64, 32],
            DropoutRate = 0.1f,
            BatchNormalization = true,
            NumberOfEpochs = 2,
            BatchSize = wide ? 256 : 64,
            LearningRate = 3e-3f,
            Seed = optionsSeed,
        };
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(options));
        var model = pipeline.Fit(data);
        try
        {
            return TrainerTestData.Vectors(model.Transform(data), "Score").SelectMany(s => s).ToArray();
        }
        finally
        {
            model.Dispose();
        }
    }

    private static float[] BinaryScores(MLContext ml)
    {
        var data = TrainerTestData.Binary(ml, rows: 80, spread: 1f);
        using var model = ml.BinaryClassification.Trainers.Mlp(new MlpBinaryTrainer.Options { HiddenLayerSizes = [16], DropoutRate = 0.2f, NumberOfEpochs = 3, BatchSize = 16 }).Fit(data);
        return TrainerTestData.Floats(model.Transform(data), "Score");
    }

    private static float[] RegressionScores(MLContext ml)
    {
        var data = TrainerTestData.Regression(ml, rows: 80);
        using var model = ml.Regression.Trainers.Mlp(new MlpRegressionTrainer.Options { HiddenLayerSizes = [16], NumberOfEpochs = 3, BatchSize = 16 }).Fit(data);
        return TrainerTestData.Floats(model.Transform(data), "Score");
    }

    private static void ShouldBeBitIdentical(float[] actual, float[] expected)
    {
        actual.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
            BitConverter.SingleToInt32Bits(actual[i]).Should().Be(BitConverter.SingleToInt32Bits(expected[i]), $"score {i} should be bit-identical ({actual[i]:R} vs {expected[i]:R})");
    }

    private static void ShouldDiffer(float[] a, float[] b)
    {
        a.Should().HaveCount(b.Length);
        a.Zip(b).Count(p => p.First != p.Second).Should().BeGreaterThan(a.Length / 2, "a different seed gives a different model");
    }

    [TestMethod]
    public void SameContextSeedGivesBitIdenticalMulticlassScores() =>
        ShouldBeBitIdentical(DigitsScores(new MLContext(seed: 0)), DigitsScores(new MLContext(seed: 0)));

    [TestMethod]
    public void SameContextSeedGivesBitIdenticalBinaryScores() =>
        ShouldBeBitIdentical(BinaryScores(new MLContext(seed: 0)), BinaryScores(new MLContext(seed: 0)));

    [TestMethod]
    public void SameContextSeedGivesBitIdenticalRegressionScores() =>
        ShouldBeBitIdentical(RegressionScores(new MLContext(seed: 0)), RegressionScores(new MLContext(seed: 0)));

    [TestMethod]
    public void OptionsSeedGivesBitIdenticalScoresWhateverTheContextSeed() =>
        ShouldBeBitIdentical(DigitsScores(new MLContext(seed: 1), optionsSeed: 42), DigitsScores(new MLContext(seed: 2), optionsSeed: 42));

    [TestMethod]
    public void DifferentContextSeedGivesDifferentScores()
    {
        ShouldDiffer(DigitsScores(new MLContext(seed: 0)), DigitsScores(new MLContext(seed: 1)));
        ShouldDiffer(BinaryScores(new MLContext(seed: 0)), BinaryScores(new MLContext(seed: 1)));
        ShouldDiffer(RegressionScores(new MLContext(seed: 0)), RegressionScores(new MLContext(seed: 1)));
    }

    [TestMethod]
    public void DifferentOptionsSeedGivesDifferentScores() =>
        ShouldDiffer(DigitsScores(new MLContext(seed: 0), optionsSeed: 1), DigitsScores(new MLContext(seed: 0), optionsSeed: 2));

    [TestMethod]
    public void OneAndTwoEngineThreadsGiveBitIdenticalScores()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            (2.0 * 256 * 512 * 64).Should().BeGreaterThan(Gemm.ParallelFlopThreshold, "the products must be large enough to be split across threads");
            Parallelism.MaxDegreeOfParallelism = 1;
            var one = DigitsScores(new MLContext(seed: 0), wide: true);
            Parallelism.MaxDegreeOfParallelism = 2;
            var two = DigitsScores(new MLContext(seed: 0), wide: true);
            ShouldBeBitIdentical(two, one);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void FittingTheSameOptionsTwiceInOneContextGivesTheSameModelWithoutAnExplicitSeed()
    {
        var ml = new MLContext(seed: 3);
        var data = TrainerTestData.Binary(ml, rows: 80, spread: 1f);
        var options = new MlpBinaryTrainer.Options { HiddenLayerSizes = [16], DropoutRate = 0.2f, NumberOfEpochs = 3, BatchSize = 16 };
        var trainer = ml.BinaryClassification.Trainers.Mlp(options);
        using var first = trainer.Fit(data);
        using var second = trainer.Fit(data);
        using var third = ml.BinaryClassification.Trainers.Mlp(options).Fit(data);
        var expected = TrainerTestData.Floats(first.Transform(data), "Score");
        ShouldBeBitIdentical(TrainerTestData.Floats(second.Transform(data), "Score"), expected);
        ShouldBeBitIdentical(TrainerTestData.Floats(third.Transform(data), "Score"), expected);
    }
}
