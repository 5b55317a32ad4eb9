using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Microsoft.ML.DeepExtensions.Engine.Tensor;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>
/// The ONNX graph a sequence trainer exports (<c>SaveAsOnnx</c>) has symbolic batch and time dimensions and, run by ONNX
/// Runtime, equals the engine's forward pass within 1e-4 for batch sizes {1, 3, 64} × steps {1, 5, 40}, with per-example
/// lengths (the full length and an empty sequence included): a 2-layer bidirectional LSTM on padded series with a
/// <c>lengths</c> input, and a bidirectional GRU on words.
/// </summary>
[TestClass]
public sealed class RecurrentOnnxExportTests
{
    private static readonly Lazy<Microsoft.ML.DeepExtensions.Trainers.RegressionNeuralPredictionTransformer> Series = new(SequenceModels.TrainSeries);
    private static readonly Lazy<(Microsoft.ML.DeepExtensions.Trainers.MulticlassNeuralPredictionTransformer Model, string[] Words)> Tokens = new(SequenceModels.TrainTokens);

    private const double Rel = 1e-4, Abs = 1e-5;
    private static readonly int[] BatchSizes = [1, 3, 64];
    private static readonly int[] StepCounts = [1, 5, 40];

    private static int[] Lengths(Random random, int n, int steps) =>
        Enumerable.Range(0, n).Select(b => b == 0 ? steps : b == 1 ? 0 : random.Next(steps + 1)).ToArray();

    [TestMethod]
    public void SeriesGraphHasSymbolicDimensionsAndMatchesTheEngine()
    {
        var model = Series.Value;
        using var session = new InferenceSession(SequenceModels.Onnx(model));
        session.InputMetadata.Keys.Should().Equal("Features", "lengths");
        session.InputMetadata["Features"].SymbolicDimensions.Should().Equal("N", "T", "");
        session.InputMetadata["lengths"].ElementDataType.Should().Be(TensorElementType.Int32);

        var random = new Random(21);
        foreach (int n in BatchSizes)
            foreach (int steps in StepCounts)
            {
                var x = new Tensor(n, steps, SequenceModels.Features);
                for (int i = 0; i < x.Length; i++) x[i] = (float)(2 * random.NextDouble() - 1);
                int[] lengths = Lengths(random, n, steps);
                float[] expected = SequenceTestData.EngineForward(model.Model.Network, x, lengths);
                float[] actual = SequenceModels.RunSeries(session, x, lengths);
                actual.Should().OnlyContain(v => float.IsFinite(v));
                TensorAssert.Close(actual, expected, Rel, Abs, $"LSTM series, N={n}, T={steps}");
            }
    }

    [TestMethod]
    public void TokenGraphTakesWordsAndMatchesTheEngine()
    {
        var (model, words) = Tokens.Value;
        using var session = new InferenceSession(SequenceModels.Onnx(model));
        session.InputMetadata.Keys.Should().Equal("Tokens");
        session.InputMetadata["Tokens"].SymbolicDimensions.Should().Equal("N", "T");
        session.InputMetadata["Tokens"].ElementDataType.Should().Be(TensorElementType.String);

        var random = new Random(22);
        foreach (int n in BatchSizes)
            foreach (int steps in StepCounts)
            {
                int[] lengths = Lengths(random, n, steps);
                var keys = new Tensor(n, steps);
                var text = new string[n * steps];
                for (int b = 0; b < n; b++)
                    for (int t = 0; t < steps; t++)
                    {
                        if (t >= lengths[b]) { text[b * steps + t] = ""; continue; }
                        bool unknown = t < lengths[b] - 1 && random.Next(8) == 0; // an unknown word inside the sequence is key 0
                        int key = unknown ? 0 : 1 + random.Next(words.Length);
                        keys[b * steps + t] = key;
                        text[b * steps + t] = unknown ? "unknownword" : words[key - 1];
                    }
                float[] expected = SequenceModels.Softmax(SequenceTestData.EngineForward(model.Model.Network, keys, null), 3);
                float[] actual = SequenceModels.RunTokens(session, text, n);
                TensorAssert.Close(actual, expected, Rel, Abs, $"GRU tokens, N={n}, T={steps}");
            }
    }
}
