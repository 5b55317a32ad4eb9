namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// Glorot (Xavier) uniform: <c>U(-b, b)</c> with <c>b = gain · √(6 / (fan_in + fan_out))</c>, which gives
/// variance <c>gain² · 2 / (fan_in + fan_out)</c> (Glorot &amp; Bengio, "Understanding the difficulty of training
/// deep feedforward neural networks", AISTATS 2010). PyTorch <c>xavier_uniform_</c>; Keras <c>GlorotUniform</c>
/// (Keras' default kernel initializer).
/// </summary>
public sealed class GlorotUniform : IInitializer
{
    /// <summary>Creates a Glorot uniform initializer.</summary>
    /// <param name="gain">Scale factor (see <see cref="Initializers.Gain"/>). Default 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public GlorotUniform(double gain = 1.0) => Gain = InitializerMath.CheckPositive(gain, nameof(gain));

    /// <summary>Scale factor.</summary>
    public double Gain { get; }

    /// <summary>The bound <c>b</c> for the given fans.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public double Bound(int fanIn, int fanOut) =>
        Gain * Math.Sqrt(3.0 / InitializerMath.Fan(FanMode.FanAvg, fanIn, fanOut, nameof(GlorotUniform)));

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng) =>
        InitializerMath.FillSymmetricUniform(values, Bound(fanIn, fanOut), rng);
}
