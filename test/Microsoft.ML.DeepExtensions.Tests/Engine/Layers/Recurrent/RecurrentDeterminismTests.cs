using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

/// <summary>
/// Forward and backward give bit-identical results with 1 and 2 engine threads. The sizes make the input projection and
/// weight-gradient GEMMs, and for the first case also the per-step recurrent GEMMs (2·N·4H·H above the GEMM's
/// threading threshold of 4·2²⁰ flops), eligible for two threads.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class RecurrentDeterminismTests
{
    [TestMethod]
    [DataRow("LSTM", 1, 112, 64, 8)]
    [DataRow("LSTM", 2, 48, 48, 16)]
    [DataRow("GRU", 2, 48, 48, 16)]
    [DataRow("RNN", 2, 48, 48, 16)]
    public void OneAndTwoThreadsGiveIdenticalResults(string cell, int layers, int hidden, int batch, int steps)
    {
        int saved = Parallelism.MaxDegreeOfParallelism;
        try
        {
            Parallelism.MaxDegreeOfParallelism = 1;
            var one = Run(cell, layers, hidden, batch, steps);
            Parallelism.MaxDegreeOfParallelism = 2;
            var two = Run(cell, layers, hidden, batch, steps);
            for (int i = 0; i < one.Length; i++)
                one[i].SequenceEqual(two[i]).Should().BeTrue($"{cell}: result {i} must be bit-identical with 1 and 2 threads");
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static float[][] Run(string cell, int layers, int hidden, int n, int steps)
    {
        var lengths = new SequenceLengths();
        RecurrentLayer rnn = cell switch
        {
            "LSTM" => new LSTM(24, hidden, layers, bidirectional: true, dropout: 0.2f),
            "GRU" => new GRU(24, hidden, layers, bidirectional: true, dropout: 0.2f),
            _ => new RNN(24, hidden, layers, bidirectional: true, dropout: 0.2f),
        };
        rnn.Lengths = lengths;
        rnn.Initialize(new Rng(5));
        var rng = new Rng(6);
        var values = new int[n];
        for (int b = 0; b < n; b++) values[b] = rng.NextInt(steps + 1);
        lengths.Set(values);
        Tensor x = TestTensors.Uniform(rng, [n, steps, 24]);
        rnn.ComputeInputGradient = true;
        Tensor y = rnn.Forward(x, training: true);
        Tensor dx = rnn.Backward(TestTensors.Gaussian(rng, y.Shape), TestTensors.Gaussian(rng, rnn.FinalHiddenState.Shape), null)!;
        return [y.Span.ToArray(), rnn.FinalHiddenState.Span.ToArray(), dx.Span.ToArray(), .. rnn.Parameters.Select(p => p.Gradient.Span.ToArray())];
    }
}
