using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Losses;

[TestClass]
public sealed class L1LossTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        LossChecks.MatchesFixture(new L1Loss(), "loss_l1", "prediction", "grad_prediction");

    [TestMethod]
    public void SubgradientIsZeroWherePredictionEqualsTarget()
    {
        var loss = new L1Loss();
        loss.Forward(new Tensor([1f, 2f, -3f], 3), new Tensor([1f, 0f, 0f], 3)).Should().BeApproximately(5f / 3f, 1e-6f);
        loss.Backward().Span.ToArray().Should().Equal(0f, 1f / 3f, -1f / 3f);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void GradientMatchesFiniteDifferences(bool sampleWeights)
    {
        var rng = new Rng(41);
        var prediction = LossChecks.Uniform(rng, -2f, 2f, 5, 3);
        var target = LossChecks.Uniform(rng, -2f, 2f, 5, 3);
        // Keep every difference away from the kink at 0 (farther than the finite-difference step).
        for (int i = 0; i < prediction.Length; i++)
            if (MathF.Abs(prediction[i] - target[i]) < 0.05f) prediction[i] += 0.1f;
        var weights = sampleWeights ? LossChecks.Uniform(rng, 0f, 2f, 5) : null;
        LossChecks.GradientMatchesFiniteDifferences(new L1Loss(), prediction, target, weights);
    }

    [TestMethod]
    public void WeightOfTwoEqualsDuplicatingTheRow()
    {
        var rng = new Rng(42);
        LossChecks.WeightTwoEqualsDuplicatedRow(new L1Loss(), LossChecks.Uniform(rng, -2f, 2f, 5, 3), LossChecks.Uniform(rng, -2f, 2f, 5, 3), row: 0);
    }

    [TestMethod]
    public void RejectsMismatchedShapes()
    {
        new L1Loss().Invoking(l => l.Forward(new Tensor(3, 2), new Tensor(2, 3))).Should().Throw<ArgumentException>().WithMessage("*[3, 2]*[2, 3]*");
        new L1Loss().Invoking(l => l.Forward(new Tensor(3), new Tensor(3), new Tensor(3, 2))).Should().Throw<ArgumentException>().WithMessage("*weights*");
    }

    [TestMethod]
    public void DoesNotAllocateOnceShapesAreStable()
    {
        var rng = new Rng(43);
        LossChecks.ForwardAndBackwardDoNotAllocate(new L1Loss(), LossChecks.Uniform(rng, -1f, 1f, 8, 2), new Tensor(8, 2), null);
    }
}
