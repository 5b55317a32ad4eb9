using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Training;

/// <summary>
/// Padded sequences in training: an <see cref="InMemoryDataset"/> carries per-example lengths through subsets, splits
/// and reweighting; batches carry them (cut to the batch's longest sequence with <see cref="InMemoryDataset.TrimToLongest"/>);
/// and the loop hands them to the network through <see cref="TrainingOptions.SequenceLengths"/>, so that training and
/// evaluation see each sequence as if it were alone.
/// </summary>
[TestClass]
public sealed class SequenceLengthsTrainingTests
{
    private const int Steps = 6, Features = 2;

    private static InMemoryDataset Data(int rows, bool trim, int seed = 1)
    {
        var rng = new Rng((ulong)seed);
        var lengths = new int[rows];
        var x = new float[rows * Steps * Features];
        var y = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            lengths[i] = i % (Steps + 1); // 0..6, an empty sequence included
            for (int j = 0; j < lengths[i] * Features; j++) x[i * Steps * Features + j] = 2 * rng.NextFloat() - 1;
            y[i] = lengths[i] / 3f - 1;
        }
        return new InMemoryDataset(x, [Steps, Features], y, 1, null, lengths) { TrimToLongest = trim };
    }

    private static (Sequential Net, SequenceLengths Lengths) Network()
    {
        var lengths = new SequenceLengths();
        var net = new Sequential(new GRU(Features, 4) { Lengths = lengths }, new SequencePooling(SequencePoolingMode.Mean) { Lengths = lengths }, new Linear(4, 1));
        net.Initialize(new Rng(7));
        return (net, lengths);
    }

    [TestMethod]
    public void LengthsSurviveSubsetsSplitsAndReweighting()
    {
        var data = Data(14, trim: true);
        data.Subset([3, 5, 6]).Lengths.ToArray().Should().Equal(3, 5, 6);
        var (first, second) = data.Split(0.5, new Rng(2));
        first.Lengths.ToArray().Concat(second.Lengths.ToArray()).Order().Should().Equal(data.Lengths.ToArray().Order());
        first.TrimToLongest.Should().BeTrue();
        var reweighted = data.WithWeights(Enumerable.Repeat(2f, 14).ToArray());
        reweighted.Lengths.ToArray().Should().Equal(data.Lengths.ToArray());
        reweighted.Weights.ToArray().Should().OnlyContain(w => w == 2f);

        var bad = () => new InMemoryDataset(new float[2 * Steps * Features], [Steps, Features], new float[2], 1, null, [1, Steps + 1]);
        bad.Should().Throw<ArgumentException>().WithMessage("*length 7 of example 1*");
    }

    [TestMethod]
    public void BatchesCarryLengthsAndAreCutToTheirLongestSequence()
    {
        var data = Data(14, trim: true);
        var batch = new Batch();
        using (var cursor = data.OpenCursor(3, shuffle: null))
        {
            cursor.MoveNext(batch).Should().BeTrue(); // lengths 0, 1, 2
            batch.HasLengths.Should().BeTrue();
            batch.Lengths[..3].Should().Equal(0, 1, 2);
            batch.Features.Shape.ToArray().Should().Equal(3, 2, Features);
            batch.Features.Span.Slice(2 * Features, 2 * Features).ToArray().Should().Equal(data.Features.Slice(Steps * Features, 2 * Features).ToArray(), "row 1 keeps its steps");
            cursor.MoveNext(batch).Should().BeTrue(); // lengths 3, 4, 5
            batch.Features.Shape.ToArray().Should().Equal(3, 5, Features);
            cursor.MoveNext(batch).Should().BeTrue(); // lengths 6, 0, 1
            batch.Features.Shape.ToArray().Should().Equal(3, Steps, Features);
        }
        using var untrimmed = Data(14, trim: false).OpenCursor(3, shuffle: new Rng(3));
        untrimmed.MoveNext(batch).Should().BeTrue();
        batch.Features.Shape.ToArray().Should().Equal(3, Steps, Features);
    }

    [TestMethod]
    public void EvaluationWithLengthsEqualsScoringEachSequenceAlone()
    {
        var (net, lengths) = Network();
        var data = Data(14, trim: true);
        var (loss, _) = TrainingLoop.Evaluate(net, new MSELoss(), data, batchSize: 5, sequenceLengths: lengths);

        double sum = 0;
        for (int i = 0; i < data.Rows; i++)
        {
            int length = data.Lengths[i];
            var x = new Tensor(1, Math.Max(length, 1), Features);
            data.Features.Slice(i * Steps * Features, length * Features).CopyTo(x.Span);
            lengths.Set([length]);
            float d = net.Forward(x, training: false)[0] - data.Targets[i];
            sum += d * d;
        }
        loss.Should().BeApproximately(sum / data.Rows, 1e-6);

        lengths.Clear();
        var (withoutLengths, _) = TrainingLoop.Evaluate(net, new MSELoss(), Data(14, trim: false), batchSize: 5);
        withoutLengths.Should().NotBeApproximately(loss, 1e-4, "without the hook the padding counts as steps");
    }

    [TestMethod]
    public void TrainingWithTrimmedBatchesIsRepeatableAndLearns()
    {
        double Train(bool trim)
        {
            var (net, lengths) = Network();
            var data = Data(42, trim);
            var history = TrainingLoop.Fit(net, new MSELoss(), new Adam(net.Parameters, 1e-2f), data,
                new TrainingOptions { Epochs = 15, BatchSize = 8, Seed = 4, SequenceLengths = lengths });
            history.Epochs[^1].Loss.Should().BeLessThan(history.Epochs[0].Loss / 2);
            return history.Epochs[^1].Loss;
        }
        double trimmed = Train(trim: true);
        Train(trim: true).Should().Be(trimmed, "same seed, same result");
        Train(trim: false).Should().BeApproximately(trimmed, 1e-3, "cutting the padding changes only rounding");
    }
}
