using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

/// <summary>The L1/L2 penalties and weight decay of the <see cref="Optimizer"/> base class.</summary>
[TestClass]
public sealed class OptimizerPenaltyTests
{
    [TestMethod]
    public void L1AndL2PenaltiesApplyOnlyToWeights()
    {
        // Plain SGD with lr 1 and zero loss gradients: w' = w - (L1·sign(w) + 2·L2·w) for weights only.
        var weight = new Parameter("weight", new Tensor([2f, -1f, 0f, 0.5f], 4), isWeight: true);
        var bias = new Parameter("bias", new Tensor([2f, -1f], 2), isWeight: false);
        var sgd = new Sgd([weight, bias], 1f) { L1 = 0.1f, L2 = 0.25f };

        sgd.Step();

        weight.Value.Span.ToArray().Should().Equal(2f - (0.1f + 1f), -1f - (-0.1f - 0.5f), 0f, 0.5f - (0.1f + 0.25f));
        bias.Value.Span.ToArray().Should().Equal(2f, -1f);
    }

    [TestMethod]
    public void PenaltyGradientIsAddedToTheLossGradient()
    {
        var weight = new Parameter("weight", new Tensor([3f, -2f], 2), isWeight: true);
        var sgd = new Sgd([weight], 0.5f) { L2 = 0.1f };
        weight.Gradient[0] = 1f;
        weight.Gradient[1] = -1f;

        sgd.Step();

        // g = [1 + 0.6, -1 - 0.4]; w = w - 0.5·g.
        weight.Value.Span.ToArray().Should().Equal(3f - 0.5f * 1.6f, -2f - 0.5f * -1.4f);
    }

    [TestMethod]
    public void L1OnlyUsesTheSignAndL2OnlyTheValue()
    {
        var l1 = new Parameter("a", new Tensor([4f, -0.001f], 2), isWeight: true);
        var l2 = new Parameter("b", new Tensor([4f, -0.001f], 2), isWeight: true);
        new Sgd([l1], 1f) { L1 = 0.5f }.Step();
        new Sgd([l2], 1f) { L2 = 0.5f }.Step();
        l1.Value.Span.ToArray().Should().Equal(3.5f, -0.001f + 0.5f);
        l2.Value.Span.ToArray().Should().Equal(0f, 0f);
    }

    [TestMethod]
    public void NaNWeightsPropagateInsteadOfThrowing()
    {
        var weight = new Parameter("weight", new Tensor([float.NaN, 1f], 2), isWeight: true);
        var sgd = new Sgd([weight], 0.1f) { L1 = 0.1f };
        sgd.Invoking(s => s.Step()).Should().NotThrow();
        float.IsNaN(weight.Value[0]).Should().BeTrue();
    }

    [TestMethod]
    public void CoupledWeightDecayAppliesToEveryParameter()
    {
        var weight = new Parameter("weight", new Tensor([2f], 1), isWeight: true);
        var bias = new Parameter("bias", new Tensor([2f], 1), isWeight: false);
        new Sgd([weight, bias], 0.5f, weightDecay: 0.1f).Step();
        weight.Value[0].Should().Be(2f - 0.5f * 0.2f);
        bias.Value[0].Should().Be(2f - 0.5f * 0.2f);
    }

    [TestMethod]
    public void StepCountsAndZeroGradClears()
    {
        var p = new Parameter("w", new Tensor([1f, 2f], 2), isWeight: true);
        var sgd = new Sgd([p], 0.1f);
        p.Gradient.Fill(3f);
        sgd.Step();
        sgd.Step();
        sgd.StepCount.Should().Be(2);
        sgd.ZeroGrad();
        p.Gradient.Span.ToArray().Should().Equal(0f, 0f);
    }

    [TestMethod]
    [DataRow(-0.1f)]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void RejectsInvalidPenalties(float value)
    {
        Parameter[] p = [];
        FluentActions.Invoking(() => new Sgd(p, 0.1f) { L1 = value }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("L1");
        FluentActions.Invoking(() => new Sgd(p, 0.1f) { L2 = value }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("L2");
        FluentActions.Invoking(() => new Sgd(p, 0.1f) { WeightDecay = value }).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("WeightDecay");
    }

    [TestMethod]
    public void LearningRateCanBeChangedBetweenSteps()
    {
        var p = new Parameter("w", new Tensor([1f], 1), isWeight: false);
        var sgd = new Sgd([p], 0.1f);
        p.Gradient[0] = 1f;
        sgd.LearningRate = 0.5f;
        sgd.Step();
        p.Value[0].Should().Be(0.5f);
        sgd.Invoking(s => s.LearningRate = -1f).Should().Throw<ArgumentOutOfRangeException>();
    }
}
