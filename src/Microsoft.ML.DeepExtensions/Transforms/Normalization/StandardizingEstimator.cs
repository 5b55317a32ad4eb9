using Microsoft.ML.DeepExtensions.Engine.Statistics;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// Z-score normalization ("standardization"): <c>y = (x − μ) / σ</c> per slot or per image channel, with the mean μ and
/// population standard deviation σ fitted in one streaming pass over the data (float64, Chan et al.) or given (e.g.
/// <see cref="ImageNetStatistics"/>). Create it with <c>mlContext.Transforms.Standardize(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a known-size vector of Single. Output: the same type, dimensions and slot names.</para>
/// <para>A constant slot or channel (σ = 0) maps every value to 0. NaN or infinity in the data fails fitting, and
/// scoring, with an error that names the column, the row and the slot.</para>
/// <para>Unlike ML.NET's <c>NormalizeMeanVariance</c>, it always centres (ML.NET's default divides by the root mean
/// square), supports per-channel statistics and given statistics, and saves as an ONNX graph; see
/// docs/design/normalization.md for the full comparison.</para>
/// </remarks>
public sealed class StandardizingEstimator : IEstimator<StandardizingTransformer>
{
    internal const string Name = "Standardize";

    /// <summary>Options of <see cref="StandardizingEstimator"/>.</summary>
    public sealed class Options : NormalizerOptionsBase
    {
        /// <summary>
        /// Given means, one per slot (<see cref="NormalizationScope.PerSlot"/>) or per channel
        /// (<see cref="NormalizationScope.PerChannel"/>); with <see cref="StandardDeviation"/>. Null (the default) fits them.
        /// </summary>
        public float[]? Mean { get; set; }

        /// <summary>Given standard deviations (≥ 0; 0 marks a constant slot, mapped to 0), with <see cref="Mean"/>. Null (the default) fits them.</summary>
        public float[]? StandardDeviation { get; set; }

        internal override void Validate()
        {
            base.Validate();
            if ((Mean is null) != (StandardDeviation is null))
                throw new ArgumentException("Give both Mean and StandardDeviation, or neither (to fit them).", Mean is null ? nameof(Mean) : nameof(StandardDeviation));
            if (Mean is null || StandardDeviation is null) return;
            if (Mean.Length == 0 || Mean.Length != StandardDeviation.Length)
                throw new ArgumentException($"Mean and StandardDeviation need the same, non-zero number of values; got {Mean.Length} and {StandardDeviation.Length}.", nameof(StandardDeviation));
            CheckFinite(Mean, nameof(Mean));
            CheckFinite(StandardDeviation, nameof(StandardDeviation));
            for (int i = 0; i < StandardDeviation.Length; i++)
                if (StandardDeviation[i] < 0)
                    throw new ArgumentException($"StandardDeviation[{i}] is {StandardDeviation[i]}; standard deviations are >= 0.", nameof(StandardDeviation));
        }
    }

    private readonly Options _options;

    internal StandardizingEstimator(Options options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Fits the statistics (one pass over <paramref name="input"/>), or takes the given ones, and returns the fitted normalizer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing.</exception>
    /// <exception cref="ArgumentException">The column is not a known-size vector of Single, its channels are unknown, or the given statistics do not fit it.</exception>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (the message names the column, row and slot), or the data has no rows.</exception>
    public StandardizingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        o.Validate();
        var column = NormalizerSchema.Find(input.Schema, o.SourceColumnName, Name);
        var layout = NormalizerLayout.Resolve(column, o.Scope, o.ChannelCount, Name);
        int k = layout.FeatureCount;
        var mean = new double[k];
        var std = new double[k];
        long count = 0;
        if (o.Mean is { } givenMean && o.StandardDeviation is { } givenStd)
        {
            NormalizerSchema.CheckGivenLength(givenMean.Length, layout, column.Name, "mean", Name);
            for (int j = 0; j < k; j++)
            {
                mean[j] = givenMean[j];
                std[j] = givenStd[j];
            }
        }
        else
        {
            RunningMoments moments = NormalizerStatistics.Compute(input, column.Name, layout, Name);
            for (int j = 0; j < k; j++)
            {
                mean[j] = moments.Mean(j);
                std[j] = moments.Max(j) > moments.Min(j) ? moments.StandardDeviation(j) : 0; // constant: exactly 0
            }
            count = moments.Count(0);
        }
        return new StandardizingTransformer(input, column, o.OutputColumnName, layout, mean, std, count);
    }

    /// <summary>The input schema plus the output column, of the input column's shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing.</exception>
    /// <exception cref="ArgumentException">The input column is not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => NormalizerSchema.OutputSchema(inputSchema, _options, Name);
}
