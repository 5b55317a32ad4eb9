using System.Runtime.CompilerServices;

namespace Microsoft.ML.DeepExtensions.Engine;

/// <summary>
/// A seeded SplitMix64 random number generator (Steele, Lea &amp; Flood, "Fast splittable pseudorandom
/// number generators", OOPSLA 2014). Every random draw in the engine (weight initialization,
/// shuffling, dropout masks, augmentation) goes through it, so a seed fixes a run bit for bit on
/// every platform and .NET version.
/// </summary>
/// <remarks>
/// Output <c>i</c> (0-based) of a generator seeded with <c>s</c> is
/// <c>mix(s + (i+1)·0x9E3779B97F4A7C15)</c>, the same stream as the benchmark anchors in
/// <c>shared/bench/WORKLOADS.md</c>. Not thread-safe: give each thread its own instance
/// (<see cref="Fork"/>).
/// </remarks>
public sealed class Rng
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private ulong _state;
    private double _spareGaussian;
    private bool _hasSpare;

    /// <summary>Creates a generator whose state starts at <paramref name="seed"/>.</summary>
    public Rng(ulong seed) => _state = seed;

    /// <summary>The i-th output of the generator seeded with <paramref name="seed"/>, without state.</summary>
    public static ulong SplitMix64(ulong seed, ulong index) => Mix(unchecked(seed + (index + 1) * Golden));

    /// <summary>The next 64 random bits.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong NextUInt64()
    {
        _state = unchecked(_state + Golden);
        return Mix(_state);
    }

    /// <summary>A float uniform in [0, 1) with 24 random bits: <c>(z &gt;&gt; 40)·2^-24</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float NextFloat() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A double uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>An integer uniform in [0, <paramref name="maxExclusive"/>) (Lemire's multiply-shift; bias below 2^-32).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxExclusive"/> ≤ 0.</exception>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A standard normal draw (Box–Muller, float64 internally).</summary>
    public double NextGaussian()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareGaussian;
        }
        double u1 = 1.0 - NextDouble(); // (0, 1]
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        double theta = 2.0 * Math.PI * u2;
        _spareGaussian = r * Math.Sin(theta);
        _hasSpare = true;
        return r * Math.Cos(theta);
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates, from the last element down).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>
    /// A new independent generator derived from this one's seed stream and <paramref name="stream"/>,
    /// without advancing this generator. Use it to give each epoch, layer or thread its own stream.
    /// </summary>
    public Rng Fork(ulong stream) => new(Mix(unchecked(_state ^ Mix(stream + 0x632BE59BD9B4E019UL))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
