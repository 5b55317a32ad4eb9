using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Losses;

[TestClass]
public sealed class DistillationLossTests
{
    [TestMethod]
    public void MatchesPyTorch()
    {
        var f = Fixture.Load("loss_distillation_kl_T3");
        var loss = new DistillationLoss((float)f.Number("temperature"));
        float value = loss.Forward(f.Tensor("student_logits"), f.Tensor("teacher_logits"));
        TensorAssert.Close([value], [(float)f.Number("loss")], TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, "distillation loss");
        TensorAssert.Close(loss.Backward(), f.Tensor("grad_student_logits"), TensorAssert.ReductionRelative, TensorAssert.ElementwiseAbsolute, "distillation gradient");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void GradientMatchesFiniteDifferences(bool sampleWeights)
    {
        var rng = new Rng(41);
        var weights = sampleWeights ? LossChecks.Uniform(rng, 0f, 2f, 5) : null;
        LossChecks.GradientMatchesFiniteDifferences(new DistillationLoss(2.5f), LossChecks.Uniform(rng, -3f, 3f, 5, 7), LossChecks.Uniform(rng, -3f, 3f, 5, 7), weights);
    }

    [TestMethod]
    public void IsZeroWhenTheStudentMatchesTheTeacherAndRejectsBadInput()
    {
        var logits = new Tensor([1f, -2f, 0.5f, 3f, 0f, -1f], 2, 3);
        var loss = new DistillationLoss(3f);
        loss.Forward(logits, logits.Clone()).Should().BeApproximately(0f, 1e-6f);
        loss.Backward().Span.ToArray().Should().OnlyContain(g => Math.Abs(g) < 1e-6f);
        ((Action)(() => loss.Forward(logits, new Tensor(2, 4)))).Should().Throw<ArgumentException>().WithMessage("*same shape*");
        ((Action)(() => new DistillationLoss(0f))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new DistillationLoss(1f).Backward())).Should().Throw<InvalidOperationException>();
    }
}
