namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// He (Kaiming) uniform: <c>U(-b, b)</c> with <c>b = gain · √(3 / fan)</c>, which gives variance
/// <c>gain² / fan</c> (He, Zhang, Ren &amp; Sun, "Delving Deep into Rectifiers", ICCV 2015). With the default
/// gain √2 and fan_in this is <c>√(6 / fan_in)</c>, Keras <c>HeUniform</c>; PyTorch <c>kaiming_uniform_</c>.
/// </summary>
public sealed class HeUniform : IInitializer
{
    /// <summary>Creates a He uniform initializer.</summary>
    /// <param name="gain">Nonlinearity gain (see <see cref="Initializers.Gain"/>). Default √2 (ReLU).</param>
    /// <param name="mode">Which fan to divide by. Default <see cref="FanMode.FanIn"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public HeUniform(double? gain = null, FanMode mode = FanMode.FanIn)
    {
        Gain = InitializerMath.CheckPositive(gain ?? Initializers.Gain.ReLU, nameof(gain));
        Mode = mode;
    }

    /// <summary>Nonlinearity gain.</summary>
    public double Gain { get; }

    /// <summary>Which fan the variance divides by.</summary>
    public FanMode Mode { get; }

    /// <summary>The bound <c>b</c> for the given fans.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public double Bound(int fanIn, int fanOut) =>
        Gain * Math.Sqrt(3.0 / InitializerMath.Fan(Mode, fanIn, fanOut, nameof(HeUniform)));

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng) =>
        InitializerMath.FillSymmetricUniform(values, Bound(fanIn, fanOut), rng);
}
