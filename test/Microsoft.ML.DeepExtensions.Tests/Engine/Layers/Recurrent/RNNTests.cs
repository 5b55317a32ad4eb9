using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

[TestClass]
public sealed class RNNTests
{
    [TestMethod]
    [DataRow(RnnNonlinearity.Tanh, 1, false, false)]
    [DataRow(RnnNonlinearity.Tanh, 2, true, false)]
    [DataRow(RnnNonlinearity.Tanh, 2, true, true)]
    [DataRow(RnnNonlinearity.ReLU, 1, false, false)]
    [DataRow(RnnNonlinearity.ReLU, 2, true, false)]
    [DataRow(RnnNonlinearity.ReLU, 1, true, true)]
    public void GradientsMatchFiniteDifferences(RnnNonlinearity nonlinearity, int layers, bool bidirectional, bool variableLengths)
    {
        var rnn = new RNN(3, 4, layers, nonlinearity, bidirectional: bidirectional);
        // Seeds chosen so that no ReLU pre-activation lies within a finite-difference step of its kink.
        rnn.Initialize(new Rng(31 + (ulong)layers));
        if (variableLengths) rnn.Lengths = RecurrentTestHelpers.Lengths(4, 0, 5, 2);
        GradientCheck.Check(rnn, TestTensors.Uniform(new Rng(7), [4, 5, 3]), new GradientCheck.Options(Step: 2e-3));
    }

    [TestMethod]
    public void FinalStateGradientsMatchFiniteDifferences()
    {
        var rnn = new RNN(3, 4, numLayers: 2, bidirectional: true) { Lengths = RecurrentTestHelpers.Lengths(4, 0, 5, 2) };
        rnn.Initialize(new Rng(32));
        GradientCheck.Check(new FinalStatesView(rnn), TestTensors.Uniform(new Rng(8), [4, 5, 3]));
    }

    [TestMethod]
    [DataRow(RnnNonlinearity.Tanh)]
    [DataRow(RnnNonlinearity.ReLU)]
    public void ComputesTheElmanRecurrence(RnnNonlinearity nonlinearity)
    {
        // Two units, three steps, against the formula h' = act(W_ih x + b_ih + W_hh h + b_hh) in float64.
        var rnn = new RNN(2, 2, nonlinearity: nonlinearity);
        rnn.Initialize(new Rng(9));
        var w = rnn.GetWeights(0);
        Tensor x = TestTensors.Uniform(new Rng(10), [1, 3, 2]);
        double[] h = new double[2];
        var expected = new float[6];
        for (int t = 0; t < 3; t++)
        {
            var next = new double[2];
            for (int i = 0; i < 2; i++)
            {
                double a = w.BiasIh!.Value[i] + w.BiasHh!.Value[i];
                for (int j = 0; j < 2; j++) a += w.WeightIh.Value[i, j] * x[t * 2 + j] + w.WeightHh.Value[i, j] * h[j];
                next[i] = nonlinearity == RnnNonlinearity.Tanh ? Math.Tanh(a) : Math.Max(a, 0);
                expected[t * 2 + i] = (float)next[i];
            }
            h = next;
        }
        Tensor y = rnn.Forward(x, training: false);
        TensorAssert.Close(y.Span, expected, 1e-5, 1e-6, $"RNN({nonlinearity})");
        rnn.FinalHiddenState.Span.ToArray().Should().Equal(y.Span[4..].ToArray(), "h_n is the output at the last step");
        rnn.Name.Should().Be(nonlinearity == RnnNonlinearity.Tanh ? "RNN(2, 2)" : "RNN(2, 2, nonlinearity='relu')");
    }
}
