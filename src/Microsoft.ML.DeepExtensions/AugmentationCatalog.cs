using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.DeepExtensions.Transforms.Augmentation;

namespace Microsoft.ML;

/// <summary>
/// Data-level augmentation of Microsoft.ML.DeepExtensions: <c>mlContext.Data.AugmentImages(...)</c> and
/// <c>mlContext.Data.AugmentText(...)</c> return a lazy <see cref="IDataView"/> holding a given number of augmented
/// copies of every row, repeatable when cursored twice.
/// </summary>
/// <remarks>
/// Augmentation is a training-time operation, not a transformer: ML.NET cannot save a transform that behaves differently
/// while training (DESIGN.md), and a scoring pipeline must not change its input at random. Augment the training data
/// with these calls, or use the <c>Augmentation</c> option of the ConvNet trainers, which augments every epoch afresh
/// and leaves nothing in the saved model.
/// </remarks>
public static class AugmentationCatalog
{
    /// <summary>
    /// Returns <paramref name="input"/> with every row repeated <paramref name="copies"/> times, the image column
    /// augmented by <paramref name="augmentation"/> in each copy (copy <c>k</c> of source row <c>r</c> uses the generator
    /// of <c>AugmentationSeed.ForExample(seed, k, r)</c>). The other columns are repeated unchanged.
    /// </summary>
    /// <param name="catalog">The data operations catalog (<c>mlContext.Data</c>).</param>
    /// <param name="input">The rows to augment; read in order each time the result is cursored.</param>
    /// <param name="augmentation">The augmentation steps (e.g. <c>new ImageAugmentationPipeline(new RandomCrop(4), new RandomHorizontalFlip())</c>).</param>
    /// <param name="columnName">The image column: a known-size vector of Single holding <c>C·H·W</c> values in CHW order (as <c>ExtractPixels</c> makes it). Default <c>Features</c>.</param>
    /// <param name="copies">Augmented copies per row, ≥ 0. Default 1.</param>
    /// <param name="keepOriginal">Also keep each original row, before its copies. Default false.</param>
    /// <param name="seed">The seed; null (the default) derives one from the <see cref="MLContext"/>'s seed.</param>
    /// <param name="imageShape">The image shape; null (the default) reads it from the column's dimensions <c>(C, H, W)</c> or <c>(H, W)</c>.</param>
    /// <returns>A lazy view of <c>N·(copies + (keepOriginal ? 1 : 0))</c> rows with the input's schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column does not exist, or <paramref name="copies"/> is negative, or the view would have no rows per input row.</exception>
    /// <exception cref="ArgumentException">The column is not a known-size vector of Single, its shape is unknown or does not match, or a step does not support the shape.</exception>
    public static IDataView AugmentImages(this DataOperationsCatalog catalog, IDataView input, ImageAugmentationPipeline augmentation,
        string columnName = "Features", int copies = 1, bool keepOriginal = false, int? seed = null, ImageShape? imageShape = null)
    {
        var column = Check(catalog, input, augmentation, columnName, copies, keepOriginal);
        if (column.Type is not VectorDataViewType { ItemType: var item, IsKnownSize: true } vector || item != NumberDataViewType.Single)
            throw new ArgumentException($"Image column '{columnName}' has type {column.Type}; a known-size vector of Single (C·H·W values, e.g. from ExtractPixels) is required.", nameof(columnName));
        int[] shape = ImageShapes.Resolve(imageShape, column, vector.Size);
        augmentation.CheckShape(shape[0], shape[1], shape[2]);
        ulong s = RunSeed(catalog, seed);
        return new AugmentedDataView<VBuffer<float>>(input, column.Index, copies, keepOriginal,
            () => new ImageRowAugmenter(augmentation, s, shape, columnName));
    }

    /// <summary>
    /// Returns <paramref name="input"/> with every row repeated <paramref name="copies"/> times, the text column
    /// augmented by EDA (<paramref name="augmentation"/>: synonym replacement, random insertion, swap and deletion) in
    /// each copy (copy <c>k</c> of source row <c>r</c> uses the generator of <c>AugmentationSeed.ForExample(seed, k, r)</c>).
    /// The other columns are repeated unchanged.
    /// </summary>
    /// <param name="catalog">The data operations catalog (<c>mlContext.Data</c>).</param>
    /// <param name="input">The rows to augment; read in order each time the result is cursored.</param>
    /// <param name="augmentation">The EDA operations, their rates and the synonym dictionary.</param>
    /// <param name="columnName">The text column. Default <c>Text</c>.</param>
    /// <param name="copies">Augmented copies per row, ≥ 0. Default 1.</param>
    /// <param name="keepOriginal">Also keep each original row, before its copies. Default false.</param>
    /// <param name="seed">The seed; null (the default) derives one from the <see cref="MLContext"/>'s seed.</param>
    /// <returns>A lazy view of <c>N·(copies + (keepOriginal ? 1 : 0))</c> rows with the input's schema.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The column does not exist, or <paramref name="copies"/> is negative, or the view would have no rows per input row.</exception>
    /// <exception cref="ArgumentException">The column is not a text column.</exception>
    public static IDataView AugmentText(this DataOperationsCatalog catalog, IDataView input, EasyDataAugmentation augmentation,
        string columnName = "Text", int copies = 1, bool keepOriginal = false, int? seed = null)
    {
        var column = Check(catalog, input, augmentation, columnName, copies, keepOriginal);
        if (column.Type is not TextDataViewType)
            throw new ArgumentException($"Column '{columnName}' has type {column.Type}; a text column is required.", nameof(columnName));
        ulong s = RunSeed(catalog, seed);
        return new AugmentedDataView<ReadOnlyMemory<char>>(input, column.Index, copies, keepOriginal, () => new TextRowAugmenter(augmentation, s));
    }

    private static DataViewSchema.Column Check(DataOperationsCatalog catalog, IDataView input, object augmentation, string columnName, int copies, bool keepOriginal)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(augmentation);
        ArgumentException.ThrowIfNullOrEmpty(columnName);
        ArgumentOutOfRangeException.ThrowIfNegative(copies);
        if (copies == 0 && !keepOriginal)
            throw new ArgumentOutOfRangeException(nameof(copies), copies, "With copies = 0 and keepOriginal = false the view would be empty.");
        return input.Schema.GetColumnOrNull(columnName)
            ?? throw new ArgumentOutOfRangeException(nameof(columnName), columnName, $"The input has no column '{columnName}'.");
    }

    private static ulong RunSeed(DataOperationsCatalog catalog, int? seed) => TrainerEnvironment.Seed(TrainerEnvironment.From(catalog), seed);
}
