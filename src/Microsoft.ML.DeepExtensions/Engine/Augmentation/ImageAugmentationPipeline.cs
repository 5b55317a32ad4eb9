using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// A sequence of random image augmentations applied in order (torchvision <c>transforms.Compose</c>, a Keras
/// <c>Sequential</c> of preprocessing layers), seeded per example so that augmented data is repeatable.
/// </summary>
/// <remarks>
/// <para><b>Use.</b> As the <c>Augmentation</c> option of the ConvNet trainers (applied to each training batch on the
/// fly, never to validation data or at scoring; the saved model contains no augmentation), through
/// <see cref="CreateBatchAugmenter"/> with the engine's <see cref="TrainingLoop"/>, or on an <c>IDataView</c> with
/// <c>mlContext.Data.AugmentImages</c> (a given number of augmented copies of each row).</para>
/// <para><b>Images</b> are <c>(C, H, W)</c> float arrays in channel-major order (the layout of ML.NET's
/// <c>ExtractPixels</c>); every step keeps the shape.</para>
/// <para><b>Seeding.</b> The example at row <c>r</c> of pass <c>k</c> (the epoch while training, the copy in a data
/// view) gets the generator <c>new Rng(AugmentationSeed.ForExample(seed, k, r))</c>
/// (<see cref="AugmentationSeed"/>); the steps draw from it in order, each as its documentation says. The result depends only on (seed, k, r, image), not on batch order or thread count.</para>
/// </remarks>
public sealed class ImageAugmentationPipeline
{
    private readonly ImageAugmentation[] _steps;

    /// <summary>Creates a pipeline of <paramref name="steps"/>, applied in order.</summary>
    /// <exception cref="ArgumentException">A step is null.</exception>
    public ImageAugmentationPipeline(params ImageAugmentation[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        for (int i = 0; i < steps.Length; i++)
            if (steps[i] is null) throw new ArgumentException($"Step {i} of the augmentation pipeline is null.", nameof(steps));
        _steps = (ImageAugmentation[])steps.Clone();
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ImageAugmentation> Steps => _steps;

    /// <summary>Throws when a step cannot apply to images of this shape.</summary>
    /// <exception cref="ArgumentException">A step does not support the shape.</exception>
    public void CheckShape(int channels, int height, int width)
    {
        foreach (var step in _steps) step.CheckShape(channels, height, width);
    }

    /// <summary>Applies every step to <paramref name="image"/> in place, drawing from <paramref name="rng"/>.</summary>
    /// <param name="image">The image, <c>C·H·W</c> values, channel-major.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="rng">The example's generator.</param>
    /// <param name="scratch">A work buffer of at least <c>C·H·W</c> values.</param>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int n = checked(channels * height * width);
        ImageGeometry.CheckImage(image.Length, channels, height, width, nameof(image));
        if (scratch.Length < n) throw new ArgumentException($"The scratch buffer holds {scratch.Length} values, fewer than C·H·W = {n}.", nameof(scratch));
        foreach (var step in _steps) step.Apply(image[..n], channels, height, width, rng, scratch);
    }

    /// <summary>Applies every step with the generator of (<paramref name="seed"/>, <paramref name="pass"/>, <paramref name="row"/>) (see <see cref="AugmentationSeed.ForExample"/>).</summary>
    /// <exception cref="ArgumentException">A buffer is too short.</exception>
    public void Apply(Span<float> image, int channels, int height, int width, ulong seed, long pass, long row, Span<float> scratch) =>
        Apply(image, channels, height, width, new Rng(AugmentationSeed.ForExample(seed, pass, row)), scratch);

    /// <summary>
    /// An <see cref="IBatchAugmenter"/> for the engine's training loop: augments each example of a training batch
    /// <c>(N, C, H, W)</c> with the generator of (<paramref name="seed"/>, epoch, <see cref="Batch.RowIds"/>[i]).
    /// </summary>
    public ImageBatchAugmenter CreateBatchAugmenter(ulong seed) => new(this, seed);

    /// <inheritdoc />
    public override string ToString() => $"ImageAugmentationPipeline[{string.Join(", ", _steps.Select(s => s.ToString()))}]";
}
