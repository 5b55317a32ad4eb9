using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Initializers;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class LinearTests
{
    [TestMethod]
    [DataRow("linear_4x5_to_3")]
    [DataRow("linear_2x17_to_9")]
    public void MatchesPyTorchForwardAndGradients(string name)
    {
        var f = Fixture.Load(name);
        Tensor w = f.Tensor("weight");
        var fc = new Linear(w.Dim(1), w.Dim(0));
        w.Span.CopyTo(fc.Weight.Value.Span);
        f.Tensor("bias").Span.CopyTo(fc.Bias!.Value.Span);

        Tensor y = fc.Forward(f.Tensor("x"), training: true);
        TensorAssert.Close(y, f.Tensor("y"), TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, $"{name} y");
        Tensor dx = fc.Backward(f.Tensor("upstream"))!;
        TensorAssert.Close(dx, f.Tensor("grad_x"), TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, $"{name} grad_x");
        TensorAssert.Close(fc.Weight.Gradient, f.Tensor("grad_weight"), TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, $"{name} grad_weight");
        TensorAssert.Close(fc.Bias.Gradient, f.Tensor("grad_bias"), TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, $"{name} grad_bias");
    }

    [TestMethod]
    [DataRow(3, 1, 1, true)]
    [DataRow(3, 7, 17, true)]
    [DataRow(3, 17, 33, false)]
    [DataRow(5, 33, 7, true)]
    [DataRow(1, 9, 3, true)]
    public void GradientsMatchFiniteDifferences(int n, int inFeatures, int outFeatures, bool bias)
    {
        var fc = new Linear(inFeatures, outFeatures, bias);
        fc.Initialize(new Rng((ulong)(n * 1000 + inFeatures)));
        Tensor x = TestTensors.Uniform(new Rng(7), [n, inFeatures]);
        GradientCheck.Check(fc, x);
    }

    [TestMethod]
    public void DefaultInitializationIsPyTorchsFanInUniform()
    {
        var fc = new Linear(64, 300);
        fc.Initialize(new Rng(3));
        float bound = (float)(1 / Math.Sqrt(64));
        fc.Weight.Value.Span.ToArray().Should().OnlyContain(v => v >= -bound && v <= bound);
        fc.Bias!.Value.Span.ToArray().Should().OnlyContain(v => v >= -bound && v <= bound);
        fc.Weight.Value.Span.ToArray().Max().Should().BeGreaterThan(0.99f * bound);

        // Weight first, then bias, from the same generator: value i is sym(seed, i)·bound.
        var rng = new Rng(3);
        float first = (2f * rng.NextFloat() - 1f) * bound;
        fc.Weight.Value[0].Should().Be(first);
    }

    [TestMethod]
    public void InitializeIsDeterministicAndUsesTheGivenInitializers()
    {
        var a = new Linear(10, 4, weightInitializer: new GlorotUniform(), biasInitializer: Constant.Zeros);
        var b = new Linear(10, 4, weightInitializer: new GlorotUniform(), biasInitializer: Constant.Zeros);
        a.Initialize(new Rng(5));
        b.Initialize(new Rng(5));
        a.Weight.Value.Span.SequenceEqual(b.Weight.Value.Span).Should().BeTrue();
        a.Bias!.Value.Span.ToArray().Should().OnlyContain(v => v == 0f);
        double glorot = Math.Sqrt(6.0 / 14);
        a.Weight.Value.Span.ToArray().Max(Math.Abs).Should().BeGreaterThan((float)(1 / Math.Sqrt(10)), "the Glorot bound is wider than the default");
        a.Weight.Value.Span.ToArray().Should().OnlyContain(v => Math.Abs(v) <= glorot);
        b.Initialize(new Rng(6));
        a.Weight.Value.Span.SequenceEqual(b.Weight.Value.Span).Should().BeFalse();
    }

    [TestMethod]
    public void ParametersFollowPyTorchNamesLayoutsAndPenaltyFlags()
    {
        var fc = new Linear(5, 3);
        fc.Parameters.Select(p => p.Name).Should().Equal("weight", "bias");
        fc.Weight.Value.Shape.ToArray().Should().Equal(3, 5);
        fc.Weight.IsWeight.Should().BeTrue();
        fc.Bias!.IsWeight.Should().BeFalse();
        new Linear(5, 3, bias: false).Parameters.Should().ContainSingle();
        fc.GetOutputShape([5]).Should().Equal(3);
    }

    [TestMethod]
    public void NoBiasLayerComputesXTimesWTransposed()
    {
        var fc = new Linear(2, 2, bias: false);
        new float[] { 1, 2, 3, 4 }.CopyTo(fc.Weight.Value.Span);
        Tensor y = fc.Forward(new Tensor([1f, 10f], 1, 2), training: false);
        y.Span.ToArray().Should().Equal(21f, 43f);
    }

    [TestMethod]
    public void RejectsWrongFeatureCountWithAClearMessage()
    {
        var fc = new Linear(64, 10);
        var act = () => fc.Forward(new Tensor(4, 63), training: true);
        act.Should().Throw<ArgumentException>().WithMessage("Linear expects (N, 64) input, got (N, 63).");
        var rank = () => fc.Forward(new Tensor(4, 4, 16), training: true);
        rank.Should().Throw<ArgumentException>().WithMessage("*got (N, 4, 16)*Flatten*");
        var shape = () => fc.GetOutputShape([63]);
        shape.Should().Throw<ArgumentException>().WithMessage("Linear expects (N, 64) input, got (N, 63).");
    }

    [TestMethod]
    public void InputGradientIsSkippedWhenNotRequestedButParameterGradientsAreNot()
    {
        var fc = new Linear(3, 2) { ComputeInputGradient = false };
        fc.Forward(TestTensors.Uniform(new Rng(1), [4, 3]), training: true);
        var upstream = TestTensors.Uniform(new Rng(2), [4, 2]);
        fc.Backward(upstream).Should().BeNull();
        fc.Bias!.Gradient.Span.ToArray().Should().Contain(v => v != 0f);
        fc.Weight.Gradient.Span.ToArray().Should().Contain(v => v != 0f);
    }
}
