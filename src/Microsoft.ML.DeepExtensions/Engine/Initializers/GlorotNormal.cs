namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// Glorot (Xavier) normal: <c>N(0, σ²)</c> with <c>σ = gain · √(2 / (fan_in + fan_out))</c>
/// (Glorot &amp; Bengio, AISTATS 2010). PyTorch <c>xavier_normal_</c>.
/// </summary>
/// <remarks>This is PyTorch's untruncated normal; Keras' <c>GlorotNormal</c> draws from a normal truncated at 2σ
/// (rescaled to the same variance).</remarks>
public sealed class GlorotNormal : IInitializer
{
    /// <summary>Creates a Glorot normal initializer.</summary>
    /// <param name="gain">Scale factor (see <see cref="Initializers.Gain"/>). Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public GlorotNormal(double gain = 1.0) => Gain = InitializerMath.CheckPositive(gain, nameof(gain));

    /// <summary>Scale factor.</summary>
    public double Gain { get; }

    /// <summary>The standard deviation σ for the given fans.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public double Std(int fanIn, int fanOut) =>
        Gain * Math.Sqrt(1.0 / InitializerMath.Fan(FanMode.FanAvg, fanIn, fanOut, nameof(GlorotNormal)));

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng) =>
        InitializerMath.FillNormal(values, 0.0, Std(fanIn, fanOut), rng);
}
