using Microsoft.ML.DeepExtensions.Engine.Statistics;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// Min-max scaling to a target range [a, b] (default [0, 1]): <c>y = a + (x − min)·(b − a)/(max − min)</c> per slot or
/// per image channel, with the minimum and maximum fitted in one streaming pass over the data, or given. Create it with
/// <c>mlContext.Transforms.ScaleMinMax(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a known-size vector of Single. Output: the same type, dimensions and slot names. Values outside the
/// fitted [min, max] map outside [a, b] (no clipping, as scikit-learn's <c>MinMaxScaler</c>).</para>
/// <para>A constant slot or channel (max = min) maps every value to the point of [a, b] nearest 0: 0 when the range
/// contains 0 (as for the default [0, 1]), else the bound nearest 0. NaN or infinity in the data fails fitting, and
/// scoring, with an error that names the column, the row and the slot.</para>
/// <para>Unlike ML.NET's <c>NormalizeMinMax</c> (which by default divides by max |x| into [−1, 1]), the range is
/// chosen, per-channel and given statistics are supported, and it saves as an ONNX graph; see
/// docs/design/normalization.md.</para>
/// </remarks>
public sealed class MinMaxScalingEstimator : IEstimator<MinMaxScalingTransformer>
{
    internal const string Name = "ScaleMinMax";

    /// <summary>Options of <see cref="MinMaxScalingEstimator"/>.</summary>
    public sealed class Options : NormalizerOptionsBase
    {
        /// <summary>a, the value the minimum maps to (finite, below <see cref="UpperBound"/>). Default 0.</summary>
        public float LowerBound { get; set; }

        /// <summary>b, the value the maximum maps to (finite, above <see cref="LowerBound"/>). Default 1.</summary>
        public float UpperBound { get; set; } = 1f;

        /// <summary>Given minimums, one per slot or channel, with <see cref="Maximum"/>. Null (the default) fits them.</summary>
        public float[]? Minimum { get; set; }

        /// <summary>Given maximums (each ≥ its minimum; equal marks a constant slot), with <see cref="Minimum"/>. Null (the default) fits them.</summary>
        public float[]? Maximum { get; set; }

        internal override void Validate()
        {
            base.Validate();
            if (!float.IsFinite(LowerBound) || !float.IsFinite(UpperBound) || !(LowerBound < UpperBound))
                throw new ArgumentException($"The target range [{LowerBound}, {UpperBound}] needs finite bounds with LowerBound < UpperBound.", nameof(UpperBound));
            if ((Minimum is null) != (Maximum is null))
                throw new ArgumentException("Give both Minimum and Maximum, or neither (to fit them).", Minimum is null ? nameof(Minimum) : nameof(Maximum));
            if (Minimum is null || Maximum is null) return;
            if (Minimum.Length == 0 || Minimum.Length != Maximum.Length)
                throw new ArgumentException($"Minimum and Maximum need the same, non-zero number of values; got {Minimum.Length} and {Maximum.Length}.", nameof(Maximum));
            CheckFinite(Minimum, nameof(Minimum));
            CheckFinite(Maximum, nameof(Maximum));
            for (int i = 0; i < Minimum.Length; i++)
                if (Maximum[i] < Minimum[i])
                    throw new ArgumentException($"Maximum[{i}] = {Maximum[i]} is below Minimum[{i}] = {Minimum[i]}.", nameof(Maximum));
        }
    }

    private readonly Options _options;

    internal MinMaxScalingEstimator(Options options)
    {
        options.Validate();
        _options = options;
    }

    /// <summary>Fits the minimum and maximum (one pass over <paramref name="input"/>), or takes the given ones, and returns the fitted normalizer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing.</exception>
    /// <exception cref="ArgumentException">The column is not a known-size vector of Single, its channels are unknown, or the given statistics do not fit it.</exception>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (the message names the column, row and slot), or the data has no rows.</exception>
    public MinMaxScalingTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var o = _options;
        o.Validate();
        var column = NormalizerSchema.Find(input.Schema, o.SourceColumnName, Name);
        var layout = NormalizerLayout.Resolve(column, o.Scope, o.ChannelCount, Name);
        int k = layout.FeatureCount;
        var min = new double[k];
        var max = new double[k];
        if (o.Minimum is { } givenMin && o.Maximum is { } givenMax)
        {
            NormalizerSchema.CheckGivenLength(givenMin.Length, layout, column.Name, "minimum", Name);
            for (int j = 0; j < k; j++)
            {
                min[j] = givenMin[j];
                max[j] = givenMax[j];
            }
        }
        else
        {
            RunningMoments moments = NormalizerStatistics.Compute(input, column.Name, layout, Name);
            for (int j = 0; j < k; j++)
            {
                min[j] = moments.Min(j);
                max[j] = moments.Max(j);
            }
        }
        return new MinMaxScalingTransformer(input, column, o.OutputColumnName, layout, min, max, o.LowerBound, o.UpperBound);
    }

    /// <summary>The input schema plus the output column, of the input column's shape.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing.</exception>
    /// <exception cref="ArgumentException">The input column is not a known-size vector of Single.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) => NormalizerSchema.OutputSchema(inputSchema, _options, Name);
}
