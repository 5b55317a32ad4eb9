using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Losses;

[TestClass]
public sealed class MSELossTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        LossChecks.MatchesFixture(new MSELoss(), "loss_mse", "prediction", "grad_prediction");

    [TestMethod]
    public void AveragesOverEveryElementOfAMatrix()
    {
        var loss = new MSELoss();
        float value = loss.Forward(new Tensor([1f, 2f, 3f, 4f, 5f, 6f], 2, 3), new Tensor([1f, 0f, 3f, 4f, 5f, 3f], 2, 3));
        value.Should().BeApproximately((4f + 9f) / 6f, 1e-6f);
        loss.Backward().Span.ToArray().Should().Equal(0f, 4f / 6f, 0f, 0f, 0f, 6f / 6f);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void GradientMatchesFiniteDifferences(bool sampleWeights)
    {
        var rng = new Rng(31);
        var weights = sampleWeights ? LossChecks.Uniform(rng, 0f, 2f, 7) : null;
        LossChecks.GradientMatchesFiniteDifferences(new MSELoss(), LossChecks.Uniform(rng, -2f, 2f, 7, 3), LossChecks.Uniform(rng, -2f, 2f, 7, 3), weights);
    }

    [TestMethod]
    public void WeightOfTwoEqualsDuplicatingTheRow()
    {
        var rng = new Rng(32);
        LossChecks.WeightTwoEqualsDuplicatedRow(new MSELoss(), LossChecks.Uniform(rng, -2f, 2f, 5, 3), LossChecks.Uniform(rng, -2f, 2f, 5, 3), row: 1);
    }

    [TestMethod]
    public void RejectsMismatchedShapesAndBadWeights()
    {
        var loss = new MSELoss();
        loss.Invoking(l => l.Forward(new Tensor(4, 2), new Tensor(4))).Should().Throw<ArgumentException>().WithMessage("*[4, 2]*[4]*");
        loss.Invoking(l => l.Forward(new Tensor(4), new Tensor(4), new Tensor([1f, 1f, float.NaN, 1f], 4))).Should().Throw<ArgumentException>().WithMessage("*row 2*");
        loss.Invoking(l => l.Backward()).Should().Throw<InvalidOperationException>();
        loss.Forward(new Tensor(4), new Tensor(4, 1)).Should().Be(0f, "(N) and (N, 1) are the same shape");
    }

    [TestMethod]
    public void DoesNotAllocateOnceShapesAreStable()
    {
        var rng = new Rng(33);
        LossChecks.ForwardAndBackwardDoNotAllocate(new MSELoss(), LossChecks.Uniform(rng, -1f, 1f, 8, 2), new Tensor(8, 2), LossChecks.Uniform(rng, 0f, 1f, 8));
    }
}
