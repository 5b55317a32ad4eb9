using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

/// <summary>
/// A batch of N = 0 sequences, as for the other layers: the recurrent layers, <see cref="Embedding"/> and
/// <see cref="SequencePooling"/> return an empty <c>(0, …)</c> output and empty final states, Backward returns an empty
/// input gradient and zero parameter gradients, and the next non-empty batch is computed as if the empty one never came.
/// </summary>
[TestClass]
public sealed class RecurrentEmptyBatchTests
{
    private const int Features = 3, Hidden = 5, Steps = 4;

    private static RecurrentLayer Create(string cell, int layers, bool bidirectional) => cell switch
    {
        "LSTM" => new LSTM(Features, Hidden, layers, bidirectional: bidirectional, dropout: layers > 1 ? 0.3f : 0f),
        "GRU" => new GRU(Features, Hidden, layers, bidirectional: bidirectional, dropout: layers > 1 ? 0.3f : 0f),
        _ => new RNN(Features, Hidden, layers, bidirectional: bidirectional, dropout: layers > 1 ? 0.3f : 0f),
    };

    [TestMethod]
    [DataRow("LSTM", 1, false, false)]
    [DataRow("LSTM", 2, true, true)]
    [DataRow("GRU", 1, false, true)]
    [DataRow("GRU", 2, true, false)]
    [DataRow("RNN", 1, true, false)]
    [DataRow("RNN", 2, false, true)]
    public void EmptyBatchGivesEmptyOutputsAndZeroGradients(string cell, int layers, bool bidirectional, bool withLengths)
    {
        RecurrentLayer rnn = Create(cell, layers, bidirectional);
        rnn.Initialize(new Rng(5));
        rnn.ComputeInputGradient = true;
        var lengths = new SequenceLengths();
        if (withLengths)
        {
            rnn.Lengths = lengths;
            lengths.Set([]);
        }
        int d = rnn.Directions;

        Tensor y = rnn.Forward(new Tensor(0, Steps, Features), training: true);
        y.Shape.ToArray().Should().Equal(0, Steps, d * Hidden);
        rnn.FinalHiddenState.Shape.ToArray().Should().Equal(layers * d, 0, Hidden);
        if (rnn is LSTM lstm) lstm.FinalCellState.Shape.ToArray().Should().Equal(layers * d, 0, Hidden);

        foreach (var p in rnn.Parameters) p.Gradient.Span.Fill(1f);
        Tensor dx = rnn.Backward(new Tensor(0, Steps, d * Hidden))!;
        dx.Shape.ToArray().Should().Equal(0, Steps, Features);
        foreach (var p in rnn.Parameters)
            p.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, $"{p.Name}: no example contributes to the gradient");
        var withStates = () => rnn.Backward(null, new Tensor(layers * d, 0, Hidden), rnn is LSTM ? new Tensor(layers * d, 0, Hidden) : null);
        withStates.Should().NotThrow();

        // The empty batch leaves no trace: the next batch scores and back-propagates as in a fresh layer.
        RecurrentLayer fresh = Create(cell, layers, bidirectional);
        fresh.Initialize(new Rng(5));
        fresh.ComputeInputGradient = true;
        if (withLengths) fresh.Lengths = lengths;
        lengths.Set([Steps, 2]);
        Tensor x = TestTensors.Uniform(new Rng(6), [2, Steps, Features]);
        Tensor upstream = TestTensors.Gaussian(new Rng(7), [2, Steps, d * Hidden]);
        TensorAssert.Close(rnn.Forward(x, training: false), fresh.Forward(x, training: false), 0, 0, $"{cell} output after an empty batch");
        TensorAssert.Close(rnn.Backward(upstream)!, fresh.Backward(upstream)!, 0, 0, $"{cell} dX after an empty batch");
        for (int i = 0; i < rnn.Parameters.Count; i++)
            TensorAssert.Close(rnn.Parameters[i].Gradient, fresh.Parameters[i].Gradient, 0, 0, $"{cell} d{rnn.Parameters[i].Name} after an empty batch");
    }

    [TestMethod]
    [DataRow(SequencePoolingMode.Last, false)]
    [DataRow(SequencePoolingMode.Mean, true)]
    public void EmptyBatchThroughEmbeddingAndPooling(SequencePoolingMode mode, bool bidirectional)
    {
        var lengths = new SequenceLengths();
        lengths.Set([]);
        var embedding = new Embedding(10, Features, paddingIdx: 0) { Lengths = lengths };
        var pool = new SequencePooling(mode, bidirectional) { Lengths = lengths };
        embedding.Initialize(new Rng(3));

        Tensor e = embedding.Forward(new Tensor(0, Steps), training: true);
        e.Shape.ToArray().Should().Equal(0, Steps, Features);
        embedding.Weight.Gradient.Span.Fill(1f);
        embedding.Backward(new Tensor(0, Steps, Features));
        embedding.Weight.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, "no token was looked up");

        int c = (bidirectional ? 2 : 1) * Hidden;
        Tensor pooled = pool.Forward(new Tensor(0, Steps, c), training: true);
        pooled.Shape.ToArray().Should().Equal(0, c);
        pool.Backward(new Tensor(0, c))!.Shape.ToArray().Should().Equal(0, Steps, c);
    }
}
