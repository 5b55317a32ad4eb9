using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Activations;

/// <summary>Accuracy against float64 references over wide ranges, and stability at extreme inputs.</summary>
[TestClass]
public sealed class ActivationNumericsTests
{
    private static Tensor Sweep(float from, float to, int count)
    {
        var t = new Tensor(1, count);
        for (int i = 0; i < count; i++) t[i] = from + (to - from) * i / (count - 1);
        return t;
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    public static IEnumerable<object[]> PointwiseReferences() =>
    [
        ["sigmoid", (Func<double, double>)Sigmoid],
        ["tanh", (Func<double, double>)Math.Tanh],
        ["silu", (Func<double, double>)(x => x * Sigmoid(x))],
        ["elu_1.0", (Func<double, double>)(x => x > 0 ? x : Math.Exp(x) - 1)],
        ["softplus", (Func<double, double>)(x => x > 20 ? x : Math.Log(1 + Math.Exp(x)))],
        ["gelu_tanh", (Func<double, double>)(x => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x))))],
        ["gelu_erf", (Func<double, double>)(x => x * 0.5 * ReferenceErfc(-x / Math.Sqrt(2)))],
    ];

    [TestMethod]
    [DynamicData(nameof(PointwiseReferences))]
    public void PointwiseForwardMatchesFloat64ReferenceWithinElementwiseTolerance(string kind, Func<double, double> reference)
    {
        var layer = ActivationFixtureTests.Create(kind);
        Tensor x = Sweep(-9f, 9f, 1801);
        Tensor y = layer.Forward(x, training: false);
        var expected = new Tensor(1, x.Length);
        for (int i = 0; i < x.Length; i++) expected[i] = (float)reference(x[i]);
        TensorAssert.Close(y, expected, TensorAssert.ElementwiseRelative, TensorAssert.ElementwiseAbsolute, kind);
    }

    [TestMethod]
    public void ExactGeluKeepsRelativeAccuracyInTheNegativeTail()
    {
        Tensor x = Sweep(-12f, -3f, 91);
        Tensor y = new GELU().Forward(x, training: false);
        for (int i = 0; i < x.Length; i++)
        {
            double expected = x[i] * 0.5 * ReferenceErfc(-x[i] / Math.Sqrt(2));
            Math.Abs(y[i] - expected).Should().BeLessThanOrEqualTo(5e-7 * Math.Abs(expected), $"GELU({x[i]})");
        }
    }

    [TestMethod]
    [DataRow("sigmoid")]
    [DataRow("tanh")]
    [DataRow("silu")]
    [DataRow("elu_1.0")]
    [DataRow("softplus")]
    [DataRow("gelu_erf")]
    [DataRow("gelu_tanh")]
    [DataRow("softmax_lastdim")]
    [DataRow("log_softmax_lastdim")]
    public void ExtremeInputsGiveFiniteOutputsAndGradients(string kind)
    {
        var x = new Tensor([-1e4f, -100f, -88.8f, -30f, 0f, 30f, 88.8f, 100f, 1e4f], 1, 9);
        var layer = ActivationFixtureTests.Create(kind);
        layer.Forward(x, training: true).IsFinite().Should().BeTrue();
        var g = new Tensor(1, 9);
        g.Fill(1f);
        layer.Backward(g)!.IsFinite().Should().BeTrue();
    }

    [TestMethod]
    public void SoftmaxAndLogSoftmaxAreShiftInvariantForHugeLogits()
    {
        var small = new Tensor([1f, 2f, 3f, 0.5f], 1, 4);
        var huge = new Tensor([1001f, 1002f, 1003f, 1000.5f], 1, 4);
        var sm = new Softmax();
        float[] expected = sm.Forward(small, false).Span.ToArray();
        TensorAssert.Close(sm.Forward(huge, false).Span, expected, 1e-5, 1e-7, "softmax");
        var lsm = new LogSoftmax();
        float[] expectedLog = lsm.Forward(small, false).Span.ToArray();
        TensorAssert.Close(lsm.Forward(huge, false).Span, expectedLog, 1e-5, 1e-6, "log_softmax");
        // A logit 200 below the maximum has softmax 0 (underflow) but an exact log-softmax.
        lsm.Forward(new Tensor([0f, -200f], 1, 2), false)[1].Should().BeApproximately(-200f, 1e-4f);
    }

    [TestMethod]
    public void SoftmaxRejectsInputsWithoutAFeatureDimension()
    {
        var act = () => new Softmax().Forward(new Tensor(4), training: false);
        act.Should().Throw<ArgumentException>().WithMessage("*(N, *, C)*got (N)*");
    }

    /// <summary>erfc in float64 from its series (|x| &lt; 3) or continued fraction (|x| ≥ 3): slow and accurate to ~1e-14.</summary>
    internal static double ReferenceErfc(double x)
    {
        if (x < 0) return 2 - ReferenceErfc(-x);
        if (x < 3)
        {
            // erf(x) = 2/√π · e^(-x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), all terms positive.
            double term = x, sum = x;
            for (int n = 1; n < 200 && term > 1e-18 * sum; n++)
            {
                term *= 2 * x * x / (2 * n + 1);
                sum += term;
            }
            return 1 - 2 / Math.Sqrt(Math.PI) * Math.Exp(-x * x) * sum;
        }
        // erfc(x) = e^(-x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...))))), evaluated bottom-up.
        double f = x;
        for (int k = 60; k >= 1; k--) f = x + k / 2.0 / f;
        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}
