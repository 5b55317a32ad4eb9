namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// Uniform draws <c>U[low, high)</c>, ignoring the fans (PyTorch <c>nn.init.uniform_</c>, Keras <c>RandomUniform</c>).
/// </summary>
/// <remarks>Each value is <c>low + (high - low)·u</c> with <c>u</c> = <see cref="Rng.NextFloat"/>, computed in float64.</remarks>
public sealed class Uniform : IInitializer
{
    /// <summary>Creates a uniform initializer.</summary>
    /// <param name="low">Lower bound (inclusive). Default -0.05 (Keras).</param>
    /// <param name="high">Upper bound. Default 0.05 (Keras).</param>
    /// <exception cref="ArgumentException">The bounds are not finite or <paramref name="low"/> &gt; <paramref name="high"/>.</exception>
    public Uniform(double low = -0.05, double high = 0.05)
    {
        if (!double.IsFinite(low) || !double.IsFinite(high) || low > high)
            throw new ArgumentException($"Uniform needs finite bounds with low ≤ high, got [{low}, {high}).");
        Low = low;
        High = high;
    }

    /// <summary>Lower bound.</summary>
    public double Low { get; }

    /// <summary>Upper bound.</summary>
    public double High { get; }

    /// <inheritdoc />
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        double width = High - Low;
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(Low + width * rng.NextFloat());
    }
}
