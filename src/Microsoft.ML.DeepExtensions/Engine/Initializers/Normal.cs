namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// Normal draws <c>N(mean, std²)</c>, ignoring the fans (PyTorch <c>nn.init.normal_</c>, Keras <c>RandomNormal</c>).
/// </summary>
public sealed class Normal : IInitializer
{
    /// <summary>Creates a normal initializer.</summary>
    /// <param name="mean">Mean. Default 0.</param>
    /// <param name="std">Standard deviation, ≥ 0. Default 0.05 (Keras; PyTorch's default is 1).</param>
    /// <exception cref="ArgumentException"><paramref name="mean"/> is not finite or <paramref name="std"/> is negative or not finite.</exception>
    public Normal(double mean = 0.0, double std = 0.05)
    {
        if (!double.IsFinite(mean) || !double.IsFinite(std) || std < 0)
            throw new ArgumentException($"Normal needs a finite mean and a finite std ≥ 0, got mean {mean}, std {std}.");
        Mean = mean;
        Std = std;
    }

    /// <summary>Mean.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation.</summary>
    public double Std { get; }

    /// <inheritdoc />
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng) =>
        InitializerMath.FillNormal(values, Mean, Std, rng);
}
