using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Losses;

[TestClass]
public sealed class BCEWithLogitsLossTests
{
    [TestMethod]
    public void PosWeightMatchesPyTorch() =>
        LossChecks.MatchesFixture(new BCEWithLogitsLoss(posWeight: 2f), "loss_bce_with_logits_posweight2", "logits", "grad_logits");

    [TestMethod]
    public void WithoutPosWeightIsTheMeanOfNegativeLogLikelihoods()
    {
        var logits = new Tensor([0.3f, -1.2f, 2.5f], 3);
        var target = new Tensor([1f, 0f, 0.25f], 3);
        double expected = 0;
        for (int i = 0; i < 3; i++)
        {
            double p = 1 / (1 + Math.Exp(-logits[i]));
            expected -= target[i] * Math.Log(p) + (1 - target[i]) * Math.Log(1 - p);
        }
        var loss = new BCEWithLogitsLoss();

        loss.Forward(logits, target).Should().BeApproximately((float)(expected / 3), 1e-6f);
        loss.Backward()[0].Should().BeApproximately((float)((1 / (1 + Math.Exp(-0.3)) - 1) / 3), 1e-7f);
    }

    [TestMethod]
    [DataRow(null, false, 1)]
    [DataRow(3f, true, 1)]
    [DataRow(0.5f, true, 3)]
    public void GradientMatchesFiniteDifferences(float? posWeight, bool sampleWeights, int columns)
    {
        var rng = new Rng(21);
        const int n = 9;
        var logits = LossChecks.Uniform(rng, -4f, 4f, n, columns);
        var target = LossChecks.Uniform(rng, 0f, 1f, n, columns);
        for (int i = 0; i < target.Length; i += 2) target[i] = MathF.Round(target[i]);
        var weights = sampleWeights ? LossChecks.Uniform(rng, 0f, 2f, n) : null;

        LossChecks.GradientMatchesFiniteDifferences(new BCEWithLogitsLoss(posWeight), logits, target, weights);
    }

    [TestMethod]
    public void WeightOfTwoEqualsDuplicatingTheRow()
    {
        var rng = new Rng(2);
        LossChecks.WeightTwoEqualsDuplicatedRow(new BCEWithLogitsLoss(2f), LossChecks.Uniform(rng, -2f, 2f, 5), new Tensor([1f, 0f, 1f, 1f, 0f], 5), row: 2);
    }

    [TestMethod]
    public void ExtremeLogitsAreStable()
    {
        var loss = new BCEWithLogitsLoss(2f);
        float value = loss.Forward(new Tensor([200f, -200f, 200f, -200f], 4), new Tensor([1f, 0f, 0f, 1f], 4));

        // Correct and confident rows cost 0; wrong ones cost |x| (weighted by pos_weight for a missed positive).
        value.Should().BeApproximately((200f + 2f * 200f) / 4f, 1e-3f);
        loss.Backward().Span.ToArray().Should().Equal(0f, 0f, 0.25f, -0.5f);
    }

    [TestMethod]
    public void AcceptsColumnAndFlatShapesTogether()
    {
        var logits = new Tensor([0.5f, -0.5f], 2, 1);
        var loss = new BCEWithLogitsLoss();
        float column = loss.Forward(logits, new Tensor([1f, 0f], 2));
        loss.Backward().Shape.ToArray().Should().Equal(2, 1);
        column.Should().Be(loss.Forward(new Tensor([0.5f, -0.5f], 2), new Tensor([1f, 0f], 2, 1)));
    }

    [TestMethod]
    public void RejectsInvalidArguments()
    {
        var loss = new BCEWithLogitsLoss();
        loss.Invoking(l => l.Forward(new Tensor(3), new Tensor([0f, 1f, 2f], 3))).Should().Throw<ArgumentException>().WithMessage("*row 2*[0, 1]*");
        loss.Invoking(l => l.Forward(new Tensor(3), new Tensor([0f, float.NaN, 1f], 3))).Should().Throw<ArgumentException>().WithMessage("*row 1*");
        loss.Invoking(l => l.Forward(new Tensor(3), new Tensor(4))).Should().Throw<ArgumentException>().WithMessage("*[3]*[4]*");
        loss.Invoking(l => l.Backward()).Should().Throw<InvalidOperationException>();
        FluentActions.Invoking(() => new BCEWithLogitsLoss(-1f)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new BCEWithLogitsLoss(float.NaN)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [TestMethod]
    public void DoesNotAllocateOnceShapesAreStable()
    {
        var rng = new Rng(4);
        LossChecks.ForwardAndBackwardDoNotAllocate(new BCEWithLogitsLoss(2f), LossChecks.Uniform(rng, -1f, 1f, 8), new Tensor(8), LossChecks.Uniform(rng, 0f, 1f, 8));
    }
}
