using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

[TestClass]
public sealed class LSTMTests
{
    [TestMethod]
    [DataRow("lstm_1layer")]
    [DataRow("lstm_2layer_bidir")]
    public void MatchesPyTorchOutputsFinalStatesAndGradients(string name) =>
        RecurrentTestHelpers.ReplayFixture(name, (input, hidden, layers, bidirectional) => new LSTM(input, hidden, layers, bidirectional: bidirectional));

    [TestMethod]
    [DataRow(1, false, false)]
    [DataRow(1, true, false)]
    [DataRow(2, false, false)]
    [DataRow(2, true, false)]
    [DataRow(1, false, true)]
    [DataRow(2, true, true)]
    public void GradientsMatchFiniteDifferences(int layers, bool bidirectional, bool variableLengths)
    {
        var lstm = new LSTM(3, 4, layers, bidirectional: bidirectional);
        lstm.Initialize(new Rng(11));
        if (variableLengths) lstm.Lengths = RecurrentTestHelpers.Lengths(5, 2, 0, 4);
        Tensor x = TestTensors.Uniform(new Rng(3), [4, 5, 3]);
        GradientCheck.Check(lstm, x);
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void FinalStateGradientsMatchFiniteDifferences(bool bidirectional)
    {
        var lstm = new LSTM(3, 4, numLayers: 2, bidirectional: bidirectional) { Lengths = RecurrentTestHelpers.Lengths(5, 2, 0, 4) };
        lstm.Initialize(new Rng(12));
        GradientCheck.Check(new FinalStatesView(lstm), TestTensors.Uniform(new Rng(4), [4, 5, 3]));
    }

    [TestMethod]
    public void ParametersFollowPyTorchNamesOrderAndLayouts()
    {
        var lstm = new LSTM(3, 5, numLayers: 2, bidirectional: true);
        lstm.Parameters.Select(p => p.Name).Should().Equal(
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
            "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
            "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse");
        lstm.GetWeights(1, 1).WeightIh.Value.Shape.ToArray().Should().Equal(20, 10);
        lstm.GetWeights(0).WeightHh.Value.Shape.ToArray().Should().Equal(20, 5);
        lstm.Parameters.Where(p => p.IsWeight).Select(p => p.Name).Should().OnlyContain(n => n.StartsWith("weight"));
        lstm.GetOutputShape([7, 3]).Should().Equal(7, 10);
        new LSTM(3, 5, bias: false).Parameters.Select(p => p.Name).Should().Equal("weight_ih_l0", "weight_hh_l0");
        lstm.Name.Should().Be("LSTM(3, 5, num_layers=2, bidirectional=True)");
    }

    [TestMethod]
    public void InitializationIsPyTorchsUniformOverOneOverSqrtHidden()
    {
        var lstm = new LSTM(10, 16);
        lstm.Initialize(new Rng(1));
        float bound = 0.25f;
        foreach (var p in lstm.Parameters)
        {
            p.Value.Span.ToArray().Should().OnlyContain(v => Math.Abs(v) <= bound, p.Name);
            p.Value.Span.ToArray().Max(Math.Abs).Should().BeGreaterThan(0.9f * bound, p.Name);
        }
        var again = new LSTM(10, 16);
        again.Initialize(new Rng(1));
        again.Parameters[1].Value.Span.SequenceEqual(lstm.Parameters[1].Value.Span).Should().BeTrue();
    }

    [TestMethod]
    public void RejectsBadShapesAndLengthsWithClearMessages()
    {
        var lstm = new LSTM(4, 3);
        var wrongFeatures = () => lstm.Forward(new Tensor(2, 5, 3), training: false);
        wrongFeatures.Should().Throw<ArgumentException>().WithMessage("LSTM expects (N, T, 4) input (batch, time, features), got (N, 5, 3).");
        var rank2 = () => lstm.Forward(new Tensor(2, 4), training: false);
        rank2.Should().Throw<ArgumentException>().WithMessage("*got (N, 4)*");
        lstm.Lengths = RecurrentTestHelpers.Lengths(5, 6);
        var tooLong = () => lstm.Forward(new Tensor(2, 5, 4), training: false);
        tooLong.Should().Throw<ArgumentException>().WithMessage("*lengths[1] is 6*T = 5*");
        lstm.Lengths = RecurrentTestHelpers.Lengths(5, 5, 5);
        var count = () => lstm.Forward(new Tensor(2, 5, 4), training: false);
        count.Should().Throw<ArgumentException>().WithMessage("*3 sequence lengths*batch holds 2*");
        var negative = () => new SequenceLengths().Set([3, -1]);
        negative.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*lengths[1] is -1*");
        var backwardFirst = () => new LSTM(4, 3).Backward(new Tensor(2, 5, 3));
        backwardFirst.Should().Throw<InvalidOperationException>();
        var noCellForGru = () =>
        {
            var gru = new GRU(4, 3);
            gru.Forward(new Tensor(2, 5, 4), training: true);
            gru.Backward(null, null, new Tensor(1, 2, 3));
        };
        noCellForGru.Should().Throw<ArgumentException>().WithMessage("*no cell state*");
    }

    [TestMethod]
    public void DropoutBetweenLayersIsActiveOnlyInTraining()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, dropout: 0.5f);
        lstm.Initialize(new Rng(5));
        Tensor x = TestTensors.Uniform(new Rng(6), [2, 4, 3]);
        float[] inference1 = lstm.Forward(x, training: false).Span.ToArray();
        float[] inference2 = lstm.Forward(x, training: false).Span.ToArray();
        inference2.Should().Equal(inference1);
        float[] training = lstm.Forward(x, training: true).Span.ToArray();
        training.Should().NotEqual(inference1);
        var plain = new LSTM(3, 4, numLayers: 2);
        for (int i = 0; i < plain.Parameters.Count; i++) lstm.Parameters[i].Value.Span.CopyTo(plain.Parameters[i].Value.Span);
        plain.Forward(x, training: true).Span.ToArray().Should().Equal(inference1);
        // With a fixed mask the dropout path is differentiable: the finite-difference check re-seeds the masks before each
        // Forward (Initialize re-seeds them; the current, possibly perturbed, weights are put back).
        GradientCheck.Check(lstm, x, beforeForward: () =>
        {
            float[][] values = lstm.Parameters.Select(p => p.Value.Span.ToArray()).ToArray();
            lstm.Initialize(new Rng(5));
            for (int i = 0; i < values.Length; i++) values[i].CopyTo(lstm.Parameters[i].Value.Span);
        });
    }
}
