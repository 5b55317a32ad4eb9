using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// A fitted min-max normalizer (<see cref="MinMaxScalingEstimator"/>): <c>y = (x − min)·((b − a)/(max − min)) + a</c>
/// per slot or channel, and <c>y = clamp(0, a, b)</c> where max = min (a constant slot or channel).
/// </summary>
public sealed class MinMaxScalingTransformer : AffineNormalizingTransformer
{
    internal MinMaxScalingTransformer(IDataView fitData, DataViewSchema.Column inputColumn, string outputColumnName, NormalizerLayout layout,
        double[] minimum, double[] maximum, float lowerBound, float upperBound)
        : base(MinMaxScalingEstimator.Name, fitData, inputColumn, outputColumnName, layout, CreateMap(minimum, maximum, lowerBound, upperBound))
    {
        Minimum = minimum;
        Maximum = maximum;
        LowerBound = lowerBound;
        UpperBound = upperBound;
    }

    /// <summary>The smallest value of each slot or channel, as fitted (or given).</summary>
    public IReadOnlyList<double> Minimum { get; }

    /// <summary>The largest value of each slot or channel, as fitted (or given).</summary>
    public IReadOnlyList<double> Maximum { get; }

    /// <summary>a, the value the minimum maps to.</summary>
    public float LowerBound { get; }

    /// <summary>b, the value the maximum maps to.</summary>
    public float UpperBound { get; }

    /// <summary>
    /// shift = min, scale = (b − a)/(max − min), offset = a; for max = min (or a scale that overflows float32):
    /// scale = 0, offset = clamp(0, a, b).
    /// </summary>
    private static AffineNormalization CreateMap(double[] min, double[] max, float a, float b)
    {
        var shift = new float[min.Length];
        var scale = new float[min.Length];
        var offset = new float[min.Length];
        float constant = Math.Clamp(0f, a, b);
        for (int j = 0; j < min.Length; j++)
        {
            shift[j] = (float)min[j];
            float s = max[j] > min[j] ? (float)(((double)b - a) / (max[j] - min[j])) : 0f;
            bool varies = s > 0 && float.IsFinite(s);
            scale[j] = varies ? s : 0f;
            offset[j] = varies ? a : constant;
        }
        return new AffineNormalization(shift, scale, offset);
    }
}
