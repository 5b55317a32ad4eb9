using Microsoft.ML.DeepExtensions.Engine;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>Seeded random tensors for layer tests.</summary>
public static class TestTensors
{
    /// <summary>Values uniform in [-<paramref name="range"/>, <paramref name="range"/>], resampled while closer than <paramref name="awayFromZero"/> to 0 (to keep finite differences off kinks).</summary>
    public static Tensor Uniform(Rng rng, int[] shape, float range = 2f, float awayFromZero = 0f)
    {
        var t = new Tensor(shape);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++)
        {
            float v;
            do v = (2f * rng.NextFloat() - 1f) * range; while (Math.Abs(v) < awayFromZero);
            s[i] = v;
        }
        return t;
    }

    /// <summary>Standard normal values.</summary>
    public static Tensor Gaussian(Rng rng, ReadOnlySpan<int> shape, double std = 1.0, double mean = 0.0)
    {
        var t = new Tensor(shape);
        Span<float> s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (float)(mean + std * rng.NextGaussian());
        return t;
    }
}
