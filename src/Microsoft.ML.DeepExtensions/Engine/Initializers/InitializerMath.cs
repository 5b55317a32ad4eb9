namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>Sampling helpers shared by the initializers.</summary>
internal static class InitializerMath
{
    /// <summary>
    /// <c>values[i] = (2·u - 1) · (float)bound</c> with <c>u</c> = <see cref="Rng.NextFloat"/>, i.e. U[-bound, bound),
    /// drawn in order. The bound is rounded to float32 once; this is the <c>sym(seed, i)·b</c> rule of the
    /// benchmark anchors (shared/bench/WORKLOADS.md), so a generator seeded like theirs reproduces their weights.
    /// </summary>
    public static void FillSymmetricUniform(Span<float> values, double bound, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        float b = (float)bound;
        for (int i = 0; i < values.Length; i++)
            values[i] = (2f * rng.NextFloat() - 1f) * b;
    }

    /// <summary><c>values[i] = (float)(mean + std · g)</c>, <c>g</c> standard normal (<see cref="Rng.NextGaussian"/>).</summary>
    public static void FillNormal(Span<float> values, double mean, double std, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < values.Length; i++)
            values[i] = (float)(mean + std * rng.NextGaussian());
    }

    /// <summary>The fan selected by <paramref name="mode"/>, checked to be positive.</summary>
    public static double Fan(FanMode mode, int fanIn, int fanOut, string initializer)
    {
        CheckFan(fanIn, nameof(fanIn), initializer);
        CheckFan(fanOut, nameof(fanOut), initializer);
        return mode switch
        {
            FanMode.FanIn => fanIn,
            FanMode.FanOut => fanOut,
            FanMode.FanAvg => 0.5 * ((double)fanIn + fanOut),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown fan mode."),
        };
    }

    /// <summary>Throws when a fan is not positive.</summary>
    public static void CheckFan(int fan, string name, string initializer)
    {
        if (fan <= 0)
            throw new ArgumentOutOfRangeException(name, fan, $"{initializer} needs a positive {name}, got {fan}.");
    }

    /// <summary>Throws when a gain or scale is not positive and finite.</summary>
    public static double CheckPositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite, got {value}.");
        return value;
    }
}
