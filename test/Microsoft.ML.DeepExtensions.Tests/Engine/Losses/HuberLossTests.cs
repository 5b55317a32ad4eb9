using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Losses;

[TestClass]
public sealed class HuberLossTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        LossChecks.MatchesFixture(new HuberLoss(1.0f), "loss_huber_1.0", "prediction", "grad_prediction");

    [TestMethod]
    public void IsQuadraticInsideDeltaAndLinearOutside()
    {
        var loss = new HuberLoss(delta: 2f);
        float value = loss.Forward(new Tensor([1f, 5f, -3f], 3), new Tensor(3));
        value.Should().BeApproximately((0.5f + 2f * (5f - 1f) + 2f * (3f - 1f)) / 3f, 1e-6f);
        loss.Backward().Span.ToArray().Should().Equal(1f / 3f, 2f / 3f, -2f / 3f);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void GradientMatchesFiniteDifferences(bool sampleWeights)
    {
        const float delta = 0.7f;
        var rng = new Rng(51);
        var prediction = LossChecks.Uniform(rng, -2f, 2f, 7, 3);
        var target = LossChecks.Uniform(rng, -2f, 2f, 7, 3);
        // Keep every |difference| away from delta, where the second derivative jumps.
        for (int i = 0; i < prediction.Length; i++)
            if (MathF.Abs(MathF.Abs(prediction[i] - target[i]) - delta) < 0.05f) prediction[i] += 0.2f;
        var weights = sampleWeights ? LossChecks.Uniform(rng, 0f, 2f, 7) : null;
        LossChecks.GradientMatchesFiniteDifferences(new HuberLoss(delta), prediction, target, weights);
    }

    [TestMethod]
    public void WeightOfTwoEqualsDuplicatingTheRow()
    {
        var rng = new Rng(52);
        LossChecks.WeightTwoEqualsDuplicatedRow(new HuberLoss(), LossChecks.Uniform(rng, -3f, 3f, 6, 2), LossChecks.Uniform(rng, -3f, 3f, 6, 2), row: 5);
    }

    [TestMethod]
    [DataRow(0f)]
    [DataRow(-1f)]
    [DataRow(float.PositiveInfinity)]
    [DataRow(float.NaN)]
    public void RejectsInvalidDelta(float delta) =>
        FluentActions.Invoking(() => new HuberLoss(delta)).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("delta");

    [TestMethod]
    public void DoesNotAllocateOnceShapesAreStable()
    {
        var rng = new Rng(53);
        LossChecks.ForwardAndBackwardDoNotAllocate(new HuberLoss(), LossChecks.Uniform(rng, -3f, 3f, 8), new Tensor(8), LossChecks.Uniform(rng, 0f, 1f, 8));
    }
}
