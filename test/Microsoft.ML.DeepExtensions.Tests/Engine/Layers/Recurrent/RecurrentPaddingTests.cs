using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

/// <summary>
/// Padded steps must not matter: a sequence scored alone, padded to 10 and 50 steps (with non-zero padding), and inside a
/// batch next to a longer sequence gives the same outputs (1e-5), and empty sequences give zeros without NaN.
/// </summary>
[TestClass]
public sealed class RecurrentPaddingTests
{
    private const int Features = 4, Hidden = 6, Length = 7;

    private static (RecurrentLayer Rnn, SequencePooling Pool, SequenceLengths Lengths) Build(string cell, bool bidirectional, SequencePoolingMode mode)
    {
        var lengths = new SequenceLengths();
        RecurrentLayer rnn = cell switch
        {
            "LSTM" => new LSTM(Features, Hidden, numLayers: 2, bidirectional: bidirectional),
            "GRU" => new GRU(Features, Hidden, numLayers: 2, bidirectional: bidirectional),
            _ => new RNN(Features, Hidden, numLayers: 2, bidirectional: bidirectional),
        };
        rnn.Lengths = lengths;
        rnn.Initialize(new Rng(17));
        return (rnn, new SequencePooling(mode, bidirectional) { Lengths = lengths }, lengths);
    }

    [TestMethod]
    [DataRow("LSTM", false, SequencePoolingMode.Last)]
    [DataRow("LSTM", false, SequencePoolingMode.Mean)]
    [DataRow("LSTM", true, SequencePoolingMode.Last)]
    [DataRow("GRU", true, SequencePoolingMode.Last)]
    [DataRow("GRU", true, SequencePoolingMode.Mean)]
    [DataRow("RNN", true, SequencePoolingMode.Mean)]
    public void PaddingDoesNotChangeOutputsOrGradients(string cell, bool bidirectional, SequencePoolingMode mode)
    {
        var (rnn, pool, lengths) = Build(cell, bidirectional, mode);
        Tensor sequence = TestTensors.Uniform(new Rng(1), [1, Length, Features]);
        Tensor longer = TestTensors.Uniform(new Rng(2), [1, 12, Features]);
        Tensor upstream = TestTensors.Gaussian(new Rng(3), [1, rnn.Directions * Hidden]);

        var alone = Score(sequence, 1, Length, 0, [Length]);
        foreach (var (steps, batch, slot, what) in new[] { (10, 1, 0, "padded to 10"), (50, 1, 0, "padded to 50"), (12, 2, 1, "in a batch after a longer sequence") })
        {
            int[] lengthsOf = batch == 1 ? [Length] : [12, Length];
            var padded = Score(sequence, batch, steps, slot, lengthsOf);
            TensorAssert.Close(padded.Pooled, alone.Pooled, 1e-5, 1e-6, $"{cell} {mode} pooled, {what}");
            TensorAssert.Close(padded.Sequence, alone.Sequence, 1e-5, 1e-6, $"{cell} output at valid steps, {what}");
            TensorAssert.Close(padded.InputGradient, alone.InputGradient, 1e-5, 1e-6, $"{cell} dX at valid steps, {what}");
            if (batch == 1)
                for (int p = 0; p < rnn.Parameters.Count; p++)
                    TensorAssert.Close(padded.Gradients[p], alone.Gradients[p], 1e-5, 1e-6, $"{cell} d{rnn.Parameters[p].Name}, {what}");
        }

        // Scores example `slot` of a batch padded to `steps` (padding and the other example: random, finite, non-zero).
        (Tensor Pooled, Tensor Sequence, Tensor InputGradient, Tensor[] Gradients) Score(Tensor seq, int batch, int steps, int slot, int[] lengthsOf)
        {
            Tensor x = TestTensors.Uniform(new Rng((ulong)(100 + steps)), [batch, steps, Features], range: 3f);
            if (batch == 2) longer.Span.CopyTo(x.Span[..(12 * Features)]);
            seq.Span.CopyTo(x.Span.Slice(slot * steps * Features, Length * Features));
            lengths.Set(lengthsOf);
            rnn.ComputeInputGradient = true;
            Tensor y = rnn.Forward(x, training: true);
            RecurrentTestHelpers.PaddingIsZero(y, lengthsOf, "recurrent output");
            Tensor pooled = pool.Forward(y, training: true);
            var dPooled = new Tensor(pooled.Shape);
            upstream.Span.CopyTo(dPooled.Span.Slice(slot * upstream.Length, upstream.Length));
            Tensor dx = rnn.Backward(pool.Backward(dPooled)!)!;
            RecurrentTestHelpers.PaddingIsZero(dx, lengthsOf, "dX");
            int width = y.Dim(2);
            return (new Tensor(pooled.Span.Slice(slot * width, width).ToArray(), 1, width),
                new Tensor(y.Span.Slice(slot * steps * width, Length * width).ToArray(), Length, width),
                new Tensor(dx.Span.Slice(slot * steps * Features, Length * Features).ToArray(), Length, Features),
                rnn.Parameters.Select(p => p.Gradient.Clone()).ToArray());
        }
    }

    [TestMethod]
    [DataRow("LSTM", new[] { 0, 3, 0 })]
    [DataRow("GRU", new[] { 0, 3, 0 })]
    [DataRow("RNN", new[] { 0, 3, 0 })]
    [DataRow("LSTM", new[] { 0, 0 })]
    [DataRow("GRU", new[] { 0 })]
    public void EmptySequencesGiveZerosAndNoNaN(string cell, int[] lengthsOf)
    {
        foreach (var mode in new[] { SequencePoolingMode.Last, SequencePoolingMode.Mean })
        {
            var (rnn, pool, lengths) = Build(cell, bidirectional: true, mode);
            lengths.Set(lengthsOf);
            int n = lengthsOf.Length;
            Tensor x = TestTensors.Uniform(new Rng(7), [n, 4, Features]);
            Tensor y = rnn.Forward(x, training: true);
            Tensor pooled = pool.Forward(y, training: true);
            y.IsFinite().Should().BeTrue();
            pooled.IsFinite().Should().BeTrue();
            rnn.FinalHiddenState.IsFinite().Should().BeTrue();
            RecurrentTestHelpers.PaddingIsZero(y, lengthsOf, "output");
            for (int b = 0; b < n; b++)
            {
                if (lengthsOf[b] != 0) continue;
                pooled.Span.Slice(b * pooled.Dim(1), pooled.Dim(1)).ToArray().Should().OnlyContain(v => v == 0f, $"pooled empty sequence {b}");
                for (int s = 0; s < rnn.FinalHiddenState.Dim(0); s++)
                    rnn.FinalHiddenState.Span.Slice((s * n + b) * Hidden, Hidden).ToArray().Should().OnlyContain(v => v == 0f, $"h_n of empty sequence {b}");
            }
            if (rnn is LSTM lstm) lstm.FinalCellState.IsFinite().Should().BeTrue();

            rnn.ComputeInputGradient = true;
            Tensor dx = rnn.Backward(pool.Backward(TestTensors.Gaussian(new Rng(8), pooled.Shape))!, TestTensors.Gaussian(new Rng(9), rnn.FinalHiddenState.Shape), null)!;
            dx.IsFinite().Should().BeTrue();
            RecurrentTestHelpers.PaddingIsZero(dx, lengthsOf, "dX");
            foreach (var p in rnn.Parameters) p.Gradient.IsFinite().Should().BeTrue(p.Name);
            if (lengthsOf.All(l => l == 0))
                foreach (var p in rnn.Parameters) p.Gradient.Span.ToArray().Should().OnlyContain(v => v == 0f, $"{p.Name} of an all-empty batch");
        }
    }
}
