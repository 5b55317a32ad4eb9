using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// A fitted z-score normalizer (<see cref="StandardizingEstimator"/>): <c>y = (x − μ)·(1/σ)</c> per slot or channel, and
/// <c>y = 0</c> where σ = 0 (a constant slot or channel).
/// </summary>
public sealed class StandardizingTransformer : AffineNormalizingTransformer
{
    internal StandardizingTransformer(IDataView fitData, DataViewSchema.Column inputColumn, string outputColumnName, NormalizerLayout layout,
        double[] mean, double[] standardDeviation, long valueCount)
        : base(StandardizingEstimator.Name, fitData, inputColumn, outputColumnName, layout, CreateMap(mean, standardDeviation))
    {
        Mean = mean;
        StandardDeviation = standardDeviation;
        ValueCount = valueCount;
    }

    /// <summary>The mean μ of each slot or channel, as fitted in float64 (or as given).</summary>
    public IReadOnlyList<double> Mean { get; }

    /// <summary>The population standard deviation σ (<c>√(Σ(x − μ)² / n)</c>) of each slot or channel (or as given); 0 for a constant one.</summary>
    public IReadOnlyList<double> StandardDeviation { get; }

    /// <summary>The number of values each statistic was fitted on (rows, times H·W per channel); 0 for given statistics.</summary>
    public long ValueCount { get; }

    /// <summary>shift = μ, scale = 1/σ (0 when σ = 0, or when 1/σ overflows float32), offset = 0.</summary>
    private static AffineNormalization CreateMap(double[] mean, double[] std)
    {
        var shift = new float[mean.Length];
        var scale = new float[mean.Length];
        for (int j = 0; j < mean.Length; j++)
        {
            shift[j] = (float)mean[j];
            float s = std[j] > 0 ? (float)(1.0 / std[j]) : 0f;
            scale[j] = float.IsFinite(s) ? s : 0f;
        }
        return new AffineNormalization(shift, scale);
    }
}
