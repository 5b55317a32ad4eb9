using Microsoft.ML.DeepExtensions.Transforms;

namespace Microsoft.ML;

/// <summary>
/// Catalog extension methods that create the normalization transforms of Microsoft.ML.DeepExtensions:
/// <c>mlContext.Transforms.Standardize(...)</c> (z-score) and <c>mlContext.Transforms.ScaleMinMax(...)</c> (min-max to
/// a range), per slot or per image channel, fitted or with given statistics. Each has a simple overload and an
/// <c>Options</c> overload.
/// </summary>
/// <remarks>
/// The names differ from ML.NET's <c>NormalizeMeanVariance</c> and <c>NormalizeMinMax</c> on purpose: the transforms
/// behave differently (they always centre, take a target range, work per channel, reject NaN, save as ONNX; see
/// docs/design/normalization.md), and a different name keeps them apart in IntelliSense and in code review.
/// "Standardize" is the statistical name of the z-score; "ScaleMinMax" follows scikit-learn's <c>MinMaxScaler</c>.
/// </remarks>
public static class FeatureScalingCatalog
{
    /// <summary>
    /// Z-score normalization, <c>y = (x − μ) / σ</c>, with μ and σ fitted per slot (or per image channel) in one pass
    /// over the data (see <see cref="StandardizingEstimator"/>). Constant slots map to 0.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read, a known-size vector of Single; null (default) for <paramref name="outputColumnName"/>.</param>
    /// <param name="scope">Statistics per slot (default) or per channel of <c>(C, H, W)</c> images.</param>
    /// <example><code>var pipeline = ml.Transforms.Standardize("Features").Append(ml.MulticlassClassification.Trainers.Mlp());</code></example>
    public static StandardizingEstimator Standardize(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        NormalizationScope scope = NormalizationScope.PerSlot) =>
        catalog.Standardize(new StandardizingEstimator.Options { OutputColumnName = outputColumnName, InputColumnName = inputColumnName, Scope = scope });

    /// <summary>
    /// Z-score normalization with given statistics, <c>y = (x − mean) / standardDeviation</c> per slot or per channel
    /// (no pass over the data), e.g. <see cref="ImageNetStatistics"/> with <see cref="NormalizationScope.PerChannel"/>.
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read; null for <paramref name="outputColumnName"/>.</param>
    /// <param name="mean">One mean per slot, or per channel.</param>
    /// <param name="standardDeviation">One standard deviation (≥ 0) per slot, or per channel.</param>
    /// <param name="scope">Whether the statistics are per slot (default) or per channel.</param>
    /// <exception cref="ArgumentException">The statistics are of different lengths, not finite, or a deviation is negative.</exception>
    public static StandardizingEstimator Standardize(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName,
        float[] mean, float[] standardDeviation, NormalizationScope scope = NormalizationScope.PerSlot)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(standardDeviation);
        return catalog.Standardize(new StandardizingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Scope = scope,
            Mean = (float[])mean.Clone(),
            StandardDeviation = (float[])standardDeviation.Clone(),
        });
    }

    /// <summary>Z-score normalization with all options (see <see cref="StandardizingEstimator.Options"/>).</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static StandardizingEstimator Standardize(this TransformsCatalog catalog, StandardizingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new StandardizingEstimator(options);
    }

    /// <summary>
    /// Min-max scaling to [<paramref name="lowerBound"/>, <paramref name="upperBound"/>], with the minimum and maximum
    /// fitted per slot (or per image channel) in one pass over the data (see <see cref="MinMaxScalingEstimator"/>).
    /// Constant slots map to 0 (or to the bound nearest 0 when the range excludes 0).
    /// </summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="outputColumnName">The column to write.</param>
    /// <param name="inputColumnName">The column to read, a known-size vector of Single; null (default) for <paramref name="outputColumnName"/>.</param>
    /// <param name="lowerBound">a, where the minimum goes. Default 0.</param>
    /// <param name="upperBound">b, where the maximum goes. Default 1.</param>
    /// <param name="scope">Statistics per slot (default) or per channel of <c>(C, H, W)</c> images.</param>
    /// <exception cref="ArgumentException">The bounds are not finite with <paramref name="lowerBound"/> &lt; <paramref name="upperBound"/>.</exception>
    public static MinMaxScalingEstimator ScaleMinMax(this TransformsCatalog catalog, string outputColumnName, string? inputColumnName = null,
        float lowerBound = 0f, float upperBound = 1f, NormalizationScope scope = NormalizationScope.PerSlot) =>
        catalog.ScaleMinMax(new MinMaxScalingEstimator.Options
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            LowerBound = lowerBound,
            UpperBound = upperBound,
            Scope = scope,
        });

    /// <summary>Min-max scaling with all options (see <see cref="MinMaxScalingEstimator.Options"/>), e.g. given minimums and maximums.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public static MinMaxScalingEstimator ScaleMinMax(this TransformsCatalog catalog, MinMaxScalingEstimator.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new MinMaxScalingEstimator(options);
    }
}
