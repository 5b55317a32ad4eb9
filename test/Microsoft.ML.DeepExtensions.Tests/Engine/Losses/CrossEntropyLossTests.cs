using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Losses;

[TestClass]
public sealed class CrossEntropyLossTests
{
    [TestMethod]
    public void MatchesPyTorch() =>
        LossChecks.MatchesFixture(new CrossEntropyLoss(), "loss_cross_entropy", "logits", "grad_logits");

    [TestMethod]
    public void ClassWeightsMatchPyTorchWeightedMean() =>
        LossChecks.MatchesFixture(new CrossEntropyLoss([1f, 2f, 0.5f, 1.5f]), "loss_cross_entropy_weighted", "logits", "grad_logits");

    [TestMethod]
    public void LabelSmoothingMatchesPyTorch() =>
        LossChecks.MatchesFixture(new CrossEntropyLoss(labelSmoothing: 0.1f), "loss_cross_entropy_label_smoothing_0.1", "logits", "grad_logits");

    [TestMethod]
    public void LabelSmoothingWithClassWeightsFollowsPyTorchNormalisation()
    {
        // PyTorch 1.13: (1-ε)·nll_weighted_mean + (ε/C)·Σ_i Σ_c a_c·(-log p_ic) / Σ_i a_{y_i}.
        float[] a = [1f, 2f, 0.5f, 1.5f];
        const float eps = 0.2f;
        var rng = new Rng(3);
        var logits = LossChecks.Uniform(rng, -2f, 2f, 5, 4);
        var target = LossChecks.ClassIndices(rng, 5, 4);
        double hard = 0, smooth = 0, denominator = 0;
        for (int i = 0; i < 5; i++)
        {
            double max = Enumerable.Range(0, 4).Max(c => (double)logits[i, c]);
            double lse = max + Math.Log(Enumerable.Range(0, 4).Sum(c => Math.Exp(logits[i, c] - max)));
            int y = (int)target[i];
            hard += a[y] * (lse - logits[i, y]);
            for (int c = 0; c < 4; c++) smooth += a[c] * (lse - logits[i, c]);
            denominator += a[y];
        }
        double expected = (1 - eps) * hard / denominator + eps / 4 * smooth / denominator;

        float actual = new CrossEntropyLoss(a, eps).Forward(logits, target);

        actual.Should().BeApproximately((float)expected, 1e-5f);
    }

    [TestMethod]
    [DataRow(false, false, 0f)]
    [DataRow(true, false, 0f)]
    [DataRow(false, true, 0f)]
    [DataRow(true, true, 0.15f)]
    [DataRow(false, false, 0.3f)]
    public void GradientMatchesFiniteDifferences(bool sampleWeights, bool classWeights, float smoothing)
    {
        var rng = new Rng(17);
        const int n = 7, c = 5;
        var logits = LossChecks.Uniform(rng, -3f, 3f, n, c);
        var target = LossChecks.ClassIndices(rng, n, c);
        var weights = sampleWeights ? LossChecks.Uniform(rng, 0f, 2f, n) : null;
        float[]? a = classWeights ? [0.5f, 1.5f, 1f, 2f, 0.25f] : null;

        LossChecks.GradientMatchesFiniteDifferences(new CrossEntropyLoss(a, smoothing), logits, target, weights);
    }

    [TestMethod]
    public void WeightOfTwoEqualsDuplicatingTheRow()
    {
        var rng = new Rng(5);
        var logits = LossChecks.Uniform(rng, -2f, 2f, 6, 3);
        var target = LossChecks.ClassIndices(rng, 6, 3);
        LossChecks.WeightTwoEqualsDuplicatedRow(new CrossEntropyLoss([1f, 3f, 0.5f], 0.1f), logits, target, row: 4);
    }

    [TestMethod]
    public void HugeLogitsStayFinite()
    {
        var logits = new Tensor([1e4f, -1e4f, 0f, 3e4f, 3e4f, -3e4f], 2, 3);
        var target = new Tensor([0f, 2f], 2);
        var loss = new CrossEntropyLoss(labelSmoothing: 0.1f);

        float value = loss.Forward(logits, target);

        float.IsFinite(value).Should().BeTrue();
        loss.Backward().IsFinite().Should().BeTrue();
        loss.Backward()[0].Should().BeApproximately(0.5f * (1f - 0.9f - 0.1f / 3), 1e-6f, "row 0 is certain of its (correct) class 0");
    }

    [TestMethod]
    public void AllZeroWeightsGiveZeroLossAndGradient()
    {
        var loss = new CrossEntropyLoss();
        float value = loss.Forward(new Tensor([1f, 2f, 3f, 4f], 2, 2), new Tensor([0f, 1f], 2), new Tensor(2));
        value.Should().Be(0f);
        loss.Backward().Span.ToArray().Should().OnlyContain(g => g == 0f);
    }

    [TestMethod]
    [DataRow(4f, "*row 1*4*[0, 3]*")]
    [DataRow(-1f, "*row 1*-1*")]
    [DataRow(1.5f, "*row 1*1.5*")]
    [DataRow(float.NaN, "*row 1*NaN*")]
    public void RejectsTargetsThatAreNotClassIndices(float label, string message)
    {
        var loss = new CrossEntropyLoss();
        var act = () => loss.Forward(new Tensor(3, 4), new Tensor([0f, label, 2f], 3));
        act.Should().Throw<ArgumentException>().WithMessage(message);
    }

    [TestMethod]
    public void RejectsMismatchedShapes()
    {
        var loss = new CrossEntropyLoss();
        loss.Invoking(l => l.Forward(new Tensor(3, 4), new Tensor(2))).Should().Throw<ArgumentException>().WithMessage("*(3)*[2]*");
        loss.Invoking(l => l.Forward(new Tensor(12), new Tensor(12))).Should().Throw<ArgumentException>().WithMessage("*(N, C)*[12]*");
        loss.Invoking(l => l.Forward(new Tensor(3, 4), new Tensor(3), new Tensor(4))).Should().Throw<ArgumentException>().WithMessage("*weights*(3)*[4]*");
        new CrossEntropyLoss([1f, 1f, 1f]).Invoking(l => l.Forward(new Tensor(3, 4), new Tensor(3))).Should().Throw<ArgumentException>().WithMessage("*3 classes*C = 4*");
    }

    [TestMethod]
    public void AcceptsColumnTargets()
    {
        var logits = new Tensor([1f, 2f, 0.5f, -1f], 2, 2);
        float flat = new CrossEntropyLoss().Forward(logits, new Tensor([1f, 0f], 2));
        float column = new CrossEntropyLoss().Forward(logits, new Tensor([1f, 0f], 2, 1));
        column.Should().Be(flat);
    }

    [TestMethod]
    public void RejectsInvalidConstructorArguments()
    {
        FluentActions.Invoking(() => new CrossEntropyLoss(labelSmoothing: 1.5f)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new CrossEntropyLoss(labelSmoothing: -0.1f)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new CrossEntropyLoss([1f, -1f])).Should().Throw<ArgumentException>().WithMessage("*class 1*");
        FluentActions.Invoking(() => new CrossEntropyLoss([])).Should().Throw<ArgumentException>();
        new CrossEntropyLoss().Invoking(l => l.Forward(new Tensor(2, 2), new Tensor(2), new Tensor([1f, -2f], 2)))
            .Should().Throw<ArgumentException>().WithMessage("*row 1*");
        new CrossEntropyLoss().Invoking(l => l.Backward()).Should().Throw<InvalidOperationException>();
    }

    [TestMethod]
    public void DoesNotAllocateOnceShapesAreStable()
    {
        var rng = new Rng(9);
        LossChecks.ForwardAndBackwardDoNotAllocate(new CrossEntropyLoss([1f, 2f, 3f], 0.1f),
            LossChecks.Uniform(rng, -1f, 1f, 8, 3), LossChecks.ClassIndices(rng, 8, 3), LossChecks.Uniform(rng, 0f, 1f, 8));
    }
}
