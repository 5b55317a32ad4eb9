using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

[TestClass]
public sealed class GRUTests
{
    [TestMethod]
    [DataRow("gru_1layer")]
    [DataRow("gru_2layer_bidir")]
    public void MatchesPyTorchOutputsFinalStatesAndGradients(string name) =>
        RecurrentTestHelpers.ReplayFixture(name, (input, hidden, layers, bidirectional) => new GRU(input, hidden, layers, bidirectional: bidirectional));

    [TestMethod]
    [DataRow(1, false, false, true)]
    [DataRow(1, true, false, true)]
    [DataRow(2, false, false, true)]
    [DataRow(2, true, false, true)]
    [DataRow(1, false, true, true)]
    [DataRow(2, true, true, true)]
    [DataRow(2, true, true, false)]
    public void GradientsMatchFiniteDifferences(int layers, bool bidirectional, bool variableLengths, bool bias)
    {
        var gru = new GRU(3, 4, layers, bias: bias, bidirectional: bidirectional);
        gru.Initialize(new Rng(21));
        if (variableLengths) gru.Lengths = RecurrentTestHelpers.Lengths(1, 5, 0, 3);
        GradientCheck.Check(gru, TestTensors.Uniform(new Rng(5), [4, 5, 3]));
    }

    [TestMethod]
    public void FinalStateGradientsMatchFiniteDifferences()
    {
        var gru = new GRU(3, 4, numLayers: 2, bidirectional: true) { Lengths = RecurrentTestHelpers.Lengths(1, 5, 0, 3) };
        gru.Initialize(new Rng(22));
        GradientCheck.Check(new FinalStatesView(gru), TestTensors.Uniform(new Rng(6), [4, 5, 3]));
    }

    [TestMethod]
    public void ParametersFollowPyTorchLayouts()
    {
        var gru = new GRU(6, 5, bidirectional: true);
        gru.Parameters.Select(p => p.Name).Should().Equal(
            "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
            "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse");
        gru.GetWeights(0, 1).WeightIh.Value.Shape.ToArray().Should().Equal(15, 6);
        gru.GetWeights(0).BiasHh!.Value.Shape.ToArray().Should().Equal(15);
        gru.GetOutputShape([4, 6]).Should().Equal(4, 10);
    }

    [TestMethod]
    public void ResetGateMultipliesTheRecurrentCandidateIncludingItsBias()
    {
        // One unit, two steps, hand-computed PyTorch formula: n = tanh(W_in x + b_in + r·(W_hn h + b_hn)).
        var gru = new GRU(1, 1);
        float[] wih = [0.5f, -0.3f, 0.8f], whh = [0.2f, 0.4f, -0.6f], bih = [0.1f, 0.2f, 0.3f], bhh = [-0.1f, 0.05f, 0.7f];
        var w = gru.GetWeights(0);
        wih.CopyTo(w.WeightIh.Value.Span);
        whh.CopyTo(w.WeightHh.Value.Span);
        bih.CopyTo(w.BiasIh!.Value.Span);
        bhh.CopyTo(w.BiasHh!.Value.Span);
        float[] xs = [1.5f, -0.7f];
        double h = 0;
        var expected = new float[2];
        for (int t = 0; t < 2; t++)
        {
            double r = Sigmoid(wih[0] * xs[t] + bih[0] + whh[0] * h + bhh[0]);
            double z = Sigmoid(wih[1] * xs[t] + bih[1] + whh[1] * h + bhh[1]);
            double n = Math.Tanh(wih[2] * xs[t] + bih[2] + r * (whh[2] * h + bhh[2]));
            h = (1 - z) * n + z * h;
            expected[t] = (float)h;
        }
        Tensor y = gru.Forward(new Tensor(xs, 1, 2, 1), training: false);
        TensorAssert.Close(y.Span, expected, 1e-6, 1e-6, "GRU by hand");

        static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    }
}
