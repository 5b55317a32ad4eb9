namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// He (Kaiming) normal: <c>N(0, σ²)</c> with <c>σ = gain / √fan</c> (He, Zhang, Ren &amp; Sun, ICCV 2015).
/// With the default gain √2 and fan_in this is <c>√(2 / fan_in)</c>; PyTorch <c>kaiming_normal_</c>.
/// </summary>
/// <remarks>This is PyTorch's untruncated normal; Keras' <c>HeNormal</c> truncates at 2σ.</remarks>
public sealed class HeNormal : IInitializer
{
    /// <summary>Creates a He normal initializer.</summary>
    /// <param name="gain">Nonlinearity gain (see <see cref="Initializers.Gain"/>). Default √2 (ReLU).</param>
    /// <param name="mode">Which fan to divide by. Default <see cref="FanMode.FanIn"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gain"/> is not positive and finite.</exception>
    public HeNormal(double? gain = null, FanMode mode = FanMode.FanIn)
    {
        Gain = InitializerMath.CheckPositive(gain ?? Initializers.Gain.ReLU, nameof(gain));
        Mode = mode;
    }

    /// <summary>Nonlinearity gain.</summary>
    public double Gain { get; }

    /// <summary>Which fan the variance divides by.</summary>
    public FanMode Mode { get; }

    /// <summary>The standard deviation σ for the given fans.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public double Std(int fanIn, int fanOut) =>
        Gain / Math.Sqrt(InitializerMath.Fan(Mode, fanIn, fanOut, nameof(HeNormal)));

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">A fan is not positive.</exception>
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng) =>
        InitializerMath.FillNormal(values, 0.0, Std(fanIn, fanOut), rng);
}
