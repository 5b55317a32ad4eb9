using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Applies an <see cref="ImageAugmentationPipeline"/> to every example of a training batch in place: example <c>i</c>
/// of a batch in epoch <c>e</c> gets the generator of <c>AugmentationSeed.ForExample(seed, e, batch.RowIds[i])</c>, so a run is
/// repeatable whatever the batch order or thread count. Created by <see cref="ImageAugmentationPipeline.CreateBatchAugmenter"/>.
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> <see cref="Batch.Features"/> is <c>(N, C, H, W)</c>; unchanged.</para>
/// <para><b>Threads.</b> Examples are independent: large batches are split over up to
/// <see cref="Parallelism.MaxDegreeOfParallelism"/> threads, each with its own scratch buffer (kept between calls).</para>
/// </remarks>
public sealed class ImageBatchAugmenter : IBatchAugmenter
{
    private const long WorkPerValue = 16; // rough cost of a bilinear warp per value, for the thread decision
    private readonly ImageAugmentationPipeline _pipeline;
    private readonly ulong _seed;
    private float[][] _scratch = [];
    private int _checkedC, _checkedH, _checkedW;

    /// <summary>Creates the augmenter of <paramref name="pipeline"/> with run seed <paramref name="seed"/>.</summary>
    public ImageBatchAugmenter(ImageAugmentationPipeline pipeline, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        _pipeline = pipeline;
        _seed = seed;
    }

    /// <summary>The pipeline.</summary>
    public ImageAugmentationPipeline Pipeline => _pipeline;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The features are not <c>(N, C, H, W)</c>, or a step does not support the image shape.</exception>
    public void Augment(Batch batch, int epoch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var shape = batch.Features.Shape;
        if (shape.Length != 4)
            throw new ArgumentException($"Image augmentation expects features of shape (N, C, H, W), got {batch.Features.ShapeString()}.", nameof(batch));
        int n = shape[0], c = shape[1], h = shape[2], w = shape[3];
        if (n == 0) return;
        if ((c, h, w) != (_checkedC, _checkedH, _checkedW))
        {
            _pipeline.CheckShape(c, h, w);
            (_checkedC, _checkedH, _checkedW) = (c, h, w);
        }
        int length = c * h * w;
        if (batch.RowIds.Length < n)
            throw new ArgumentException($"The batch has {n} examples but {batch.RowIds.Length} row ids.", nameof(batch));
        long work = (long)n * length * WorkPerValue;
        int threads = (int)Math.Min(Math.Min(Parallelism.MaxDegreeOfParallelism, n), Math.Max(1, work / BatchParallel.MinWorkPerThread));
        EnsureScratch(threads, length);
        if (threads == 1)
        {
            Run(batch, epoch, 0, n, length, (c, h, w), _scratch[0]);
            return;
        }
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            t => Run(batch, epoch, (int)((long)n * t / threads), (int)((long)n * (t + 1) / threads), length, (c, h, w), _scratch[t]));
    }

    private void Run(Batch batch, int epoch, int begin, int end, int length, (int C, int H, int W) s, float[] scratch)
    {
        var features = batch.Features.Data;
        for (int i = begin; i < end; i++)
            _pipeline.Apply(features.AsSpan(i * length, length), s.C, s.H, s.W, _seed, epoch, batch.RowIds[i], scratch);
    }

    private void EnsureScratch(int threads, int length)
    {
        if (_scratch.Length < threads || _scratch[0].Length < length)
        {
            var next = new float[Math.Max(threads, _scratch.Length)][];
            for (int t = 0; t < next.Length; t++) next[t] = new float[length];
            _scratch = next;
        }
    }
}
