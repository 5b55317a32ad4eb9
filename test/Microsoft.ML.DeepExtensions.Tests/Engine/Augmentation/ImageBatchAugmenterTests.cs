using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary>
/// <see cref="ImageBatchAugmenter"/>: each example of a batch is augmented from (seed, epoch, row id), whatever the
/// batch order, batch size or thread count.
/// </summary>
[TestClass]
[DoNotParallelize] // changes Parallelism.MaxDegreeOfParallelism
public sealed class ImageBatchAugmenterTests
{
    private const int Rows = 96, Size = 28;
    private static readonly InMemoryDataset Digits = LoadDigits();

    private static InMemoryDataset LoadDigits()
    {
        var images = IdxFile.Read(TestData.Path("mnist/t10k-images-idx3-ubyte"));
        var pixels = IdxFile.ToUnitFloats(images).AsSpan(0, Rows * Size * Size).ToArray();
        return new InMemoryDataset(pixels, [1, Size, Size], new float[Rows]);
    }

    private static ImageAugmentationPipeline Pipeline() => new(new RandomCrop(3), new RandomRotation(15), new RandomErasing());

    /// <summary>Every row's augmented image after one pass over the data in batches, keyed by row id.</summary>
    private static float[][] AugmentAll(ImageBatchAugmenter augmenter, int batchSize, Rng? shuffle, int epoch)
    {
        var result = new float[Rows][];
        var batch = new Batch();
        using var cursor = Digits.OpenCursor(batchSize, shuffle);
        while (cursor.MoveNext(batch))
        {
            augmenter.Augment(batch, epoch);
            for (int i = 0; i < batch.Count; i++)
                result[batch.RowIds[i]] = batch.Features.Span.Slice(i * Size * Size, Size * Size).ToArray();
        }
        return result;
    }

    [TestMethod]
    public void ExamplesDependOnlyOnSeedEpochAndRow()
    {
        var augmenter = Pipeline().CreateBatchAugmenter(5);
        var ordered = AugmentAll(augmenter, 32, null, epoch: 1);
        var shuffled = AugmentAll(augmenter, 7, new Rng(3), epoch: 1);
        for (int r = 0; r < Rows; r++)
        {
            shuffled[r].Should().Equal(ordered[r], $"row {r} in another batch order and size");
            var expected = Digits.Features.Slice(r * Size * Size, Size * Size).ToArray();
            Pipeline().Apply(expected, 1, Size, Size, 5, 1, r, new float[expected.Length]);
            ordered[r].Should().Equal(expected);
        }
        var nextEpoch = AugmentAll(augmenter, 32, null, epoch: 2);
        Enumerable.Range(0, Rows).Count(r => !nextEpoch[r].SequenceEqual(ordered[r])).Should().BeGreaterThan(Rows * 9 / 10, "each epoch draws afresh");
    }

    [TestMethod]
    public void OneAndTwoThreadsGiveIdenticalBatches()
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 1;
            var one = AugmentAll(Pipeline().CreateBatchAugmenter(9), Rows, null, 4);
            Parallelism.MaxDegreeOfParallelism = 2;
            var two = AugmentAll(Pipeline().CreateBatchAugmenter(9), Rows, null, 4);
            for (int r = 0; r < Rows; r++) two[r].Should().Equal(one[r]);
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    [TestMethod]
    public void RejectsFeaturesThatAreNotImages()
    {
        var batch = new Batch();
        new InMemoryDataset(new float[12], [6], new float[2]).OpenCursor(2, null).MoveNext(batch);
        var act = () => Pipeline().CreateBatchAugmenter(0).Augment(batch, 1);
        act.Should().Throw<ArgumentException>().WithMessage("*(N, C, H, W)*");
        var colour = new ImageAugmentationPipeline(new ColorJitter(0.5f)).CreateBatchAugmenter(0);
        new InMemoryDataset(new float[2 * 2 * 4 * 4], [2, 4, 4], new float[2]).OpenCursor(2, null).MoveNext(batch);
        colour.Invoking(a => a.Augment(batch, 1)).Should().Throw<ArgumentException>().WithMessage("*1 (grey) or 3 (RGB)*");
    }
}
