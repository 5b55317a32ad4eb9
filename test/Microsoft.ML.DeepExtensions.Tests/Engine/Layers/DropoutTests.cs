using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class DropoutTests
{
    [TestMethod]
    [DataRow(0.1f)]
    [DataRow(0.5f)]
    [DataRow(0.8f)]
    public void DropsAboutPAndScalesKeptValuesByInverseKeepProbability(float p)
    {
        const int n = 200_000;
        var x = TestTensors.Uniform(new Rng(1), [100, n / 100], 2f, 0.01f);
        var dropout = new Dropout(p);
        dropout.Initialize(new Rng(2));
        Tensor y = dropout.Forward(x, training: true);
        int zeros = 0;
        for (int i = 0; i < n; i++)
        {
            if (y[i] == 0f) zeros++;
            else y[i].Should().BeApproximately(x[i] / (1f - p), 1e-6f * Math.Abs(x[i] / (1f - p)));
        }
        double sigma = Math.Sqrt(p * (1 - p) / n);
        ((double)zeros / n).Should().BeApproximately(p, 5 * sigma);
    }

    [TestMethod]
    public void InferenceIsTheIdentity()
    {
        var x = TestTensors.Uniform(new Rng(1), [3, 5]);
        var dropout = new Dropout(0.5f);
        dropout.Forward(x, training: false).Should().BeSameAs(x);
        var g = TestTensors.Uniform(new Rng(2), [3, 5]);
        dropout.Backward(g).Should().BeSameAs(g);
        new Dropout(0f).Forward(x, training: true).Should().BeSameAs(x);
    }

    [TestMethod]
    public void SameSeedGivesSameMaskAndEachStepDrawsANewOne()
    {
        var x = TestTensors.Uniform(new Rng(1), [4, 33], 1f, 0.1f);
        var a = new Dropout(0.3f);
        var b = new Dropout(0.3f);
        a.Initialize(new Rng(9));
        b.Initialize(new Rng(9));
        float[] ya = a.Forward(x, true).Span.ToArray();
        b.Forward(x, true).Span.ToArray().Should().Equal(ya);
        a.Forward(x, true).Span.ToArray().Should().NotEqual(ya, "the next step draws a fresh mask");
        var c = new Dropout(0.3f);
        c.Initialize(new Rng(10));
        c.Forward(x, true).Span.ToArray().Should().NotEqual(ya);
        new Dropout(0.3f).Forward(x, true).Span.ToArray()
            .Should().Equal(new Dropout(0.3f).Forward(x, true).Span.ToArray(), "uninitialized layers use a fixed default seed");
    }

    [TestMethod]
    public void BackwardUsesTheForwardMask()
    {
        var x = TestTensors.Uniform(new Rng(1), [5, 17], 1f, 0.1f);
        var dropout = new Dropout(0.4f);
        Tensor y = dropout.Forward(x, training: true).Clone();
        var g = TestTensors.Uniform(new Rng(3), [5, 17], 1f, 0.1f);
        Tensor dx = dropout.Backward(g)!;
        for (int i = 0; i < x.Length; i++)
            dx[i].Should().Be(y[i] == 0f ? 0f : g[i] * (1f / 0.6f));
    }

    [TestMethod]
    public void GradientMatchesFiniteDifferencesWithAFixedMask()
    {
        var dropout = new Dropout(0.3f);
        var x = TestTensors.Uniform(new Rng(5), [3, 17]);
        GradientCheck.Check(dropout, x, beforeForward: () => dropout.Initialize(new Rng(77)));
    }

    [TestMethod]
    [DataRow(-0.1f)]
    [DataRow(1f)]
    [DataRow(float.NaN)]
    public void RejectsProbabilitiesOutsideZeroToOne(float p)
    {
        var act = () => new Dropout(p);
        act.Should().Throw<ArgumentOutOfRangeException>();
    }
}
