using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Initializers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Initializers;

[TestClass]
public sealed class InitializerTests
{
    private const int Count = 200_000;

    private static float[] Draw(IInitializer init, int fanIn, int fanOut, ulong seed = 1)
    {
        var values = new float[Count];
        init.Initialize(values, fanIn, fanOut, new Rng(seed));
        return values;
    }

    private static (double Mean, double Std) Moments(float[] v)
    {
        double mean = v.Average(x => (double)x);
        double var = v.Sum(x => (x - mean) * (x - mean)) / v.Length;
        return (mean, Math.Sqrt(var));
    }

    public static IEnumerable<object[]> UniformCases() =>
    [
        // initializer, fanIn, fanOut, expected bound
        [new GlorotUniform(), 30, 50, Math.Sqrt(6.0 / 80)],
        [new GlorotUniform(gain: 2.0), 30, 50, 2 * Math.Sqrt(6.0 / 80)],
        [new HeUniform(), 30, 50, Math.Sqrt(6.0 / 30)],
        [new HeUniform(mode: FanMode.FanOut), 30, 50, Math.Sqrt(6.0 / 50)],
        [new HeUniform(gain: Gain.LeakyReLU(Math.Sqrt(5))), 30, 50, 1 / Math.Sqrt(30)],
        [FanInUniform.Instance, 30, 50, 1 / Math.Sqrt(30)],
    ];

    [TestMethod]
    [DynamicData(nameof(UniformCases))]
    public void UniformInitializersFillTheirBoundWithFlatDensity(IInitializer init, int fanIn, int fanOut, double bound)
    {
        float[] v = Draw(init, fanIn, fanOut);
        v.Should().OnlyContain(x => Math.Abs(x) <= bound * (1 + 1e-7));
        v.Max().Should().BeGreaterThan((float)(0.999 * bound));
        v.Min().Should().BeLessThan((float)(-0.999 * bound));
        var (mean, std) = Moments(v);
        double expectedStd = bound / Math.Sqrt(3);
        mean.Should().BeApproximately(0, 5 * expectedStd / Math.Sqrt(Count));
        std.Should().BeApproximately(expectedStd, 0.01 * expectedStd);
    }

    public static IEnumerable<object[]> NormalCases() =>
    [
        [new GlorotNormal(), 30, 50, Math.Sqrt(2.0 / 80)],
        [new HeNormal(), 30, 50, Math.Sqrt(2.0 / 30)],
        [new HeNormal(gain: 1.0, mode: FanMode.FanOut), 30, 50, Math.Sqrt(1.0 / 50)],
        [new Normal(0.0, 0.2), 1, 1, 0.2],
    ];

    [TestMethod]
    [DynamicData(nameof(NormalCases))]
    public void NormalInitializersHaveZeroMeanAndTheFormulaStd(IInitializer init, int fanIn, int fanOut, double std)
    {
        float[] v = Draw(init, fanIn, fanOut);
        var (mean, s) = Moments(v);
        mean.Should().BeApproximately(0, 5 * std / Math.Sqrt(Count));
        s.Should().BeApproximately(std, 0.01 * std);
        // Gaussian tails: about 4.55 % beyond 2σ.
        double beyond = v.Count(x => Math.Abs(x) > 2 * std) / (double)Count;
        beyond.Should().BeApproximately(0.0455, 0.003);
    }

    [TestMethod]
    public void SameSeedSameValuesDifferentSeedDifferentValues()
    {
        IInitializer[] all = [new GlorotUniform(), new GlorotNormal(), new HeUniform(), new HeNormal(), FanInUniform.Instance, new Uniform(), new Normal()];
        foreach (var init in all)
        {
            Draw(init, 7, 9, seed: 3).Should().Equal(Draw(init, 7, 9, seed: 3), init.GetType().Name);
            Draw(init, 7, 9, seed: 3).Should().NotEqual(Draw(init, 7, 9, seed: 4), init.GetType().Name);
        }
    }

    [TestMethod]
    public void FanInUniformReproducesTheBenchmarkAnchorRule()
    {
        // shared/bench/WORKLOADS.md §3: w[i] = sym(7000 + idx, i) · (float)(1/sqrt(fan_in)).
        var values = new float[5];
        FanInUniform.Instance.Initialize(values, 64, 256, new Rng(7000));
        float b = (float)(1 / Math.Sqrt(64));
        for (int i = 0; i < values.Length; i++)
        {
            float u = (Rng.SplitMix64(7000, (ulong)i) >> 40) * (1f / (1 << 24));
            values[i].Should().Be((2f * u - 1f) * b);
        }
    }

    [TestMethod]
    public void ConstantAndUniformIgnoreFans()
    {
        Draw(Constant.Zeros, 0, 0).Should().OnlyContain(x => x == 0f);
        Draw(new Constant(0.25f), 0, 0).Should().OnlyContain(x => x == 0.25f);
        float[] u = Draw(new Uniform(2, 3), 0, 0);
        u.Should().OnlyContain(x => x >= 2f && x <= 3f);
        u.Average(x => (double)x).Should().BeApproximately(2.5, 0.01);
    }

    [TestMethod]
    public void GainsMatchPyTorchCalculateGain()
    {
        Gain.Linear.Should().Be(1.0);
        Gain.ReLU.Should().BeApproximately(Math.Sqrt(2), 1e-15);
        Gain.Tanh.Should().BeApproximately(5.0 / 3, 1e-15);
        Gain.LeakyReLU(0.2).Should().BeApproximately(Math.Sqrt(2 / 1.04), 1e-15);
    }

    [TestMethod]
    public void FanScaledInitializersRejectNonPositiveFansAndGains()
    {
        var act = () => new GlorotUniform().Initialize(new float[4], 0, 3, new Rng(1));
        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*fanIn*");
        var he = () => new HeNormal(mode: FanMode.FanOut).Initialize(new float[4], 3, -1, new Rng(1));
        he.Should().Throw<ArgumentOutOfRangeException>();
        var gain = () => new HeUniform(gain: 0);
        gain.Should().Throw<ArgumentOutOfRangeException>();
    }
}
