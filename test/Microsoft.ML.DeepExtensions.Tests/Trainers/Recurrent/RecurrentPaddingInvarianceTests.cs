using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>
/// Through a trained sequence model (a 2-layer bidirectional LSTM on series, a bidirectional GRU on words), the same
/// sequence scored alone, padded to 10 and to 50 steps, and inside a batch with a longer sequence gets the same score
/// within 1e-5, in the engine and in the exported ONNX graph; an empty sequence gets a finite, defined score.
/// </summary>
[TestClass]
public sealed class RecurrentPaddingInvarianceTests
{
    private static readonly Lazy<Microsoft.ML.DeepExtensions.Trainers.RegressionNeuralPredictionTransformer> Series = new(SequenceModels.TrainSeries);
    private static readonly Lazy<(Microsoft.ML.DeepExtensions.Trainers.MulticlassNeuralPredictionTransformer Model, string[] Words)> Tokens = new(SequenceModels.TrainTokens);

    private const float Tolerance = 1e-5f;
    private const int Steps = 7, Longer = 30;

    private static void AllClose(IReadOnlyList<float[]> variants, string what)
    {
        foreach (var v in variants.Skip(1))
            for (int c = 0; c < v.Length; c++)
                v[c].Should().BeApproximately(variants[0][c], Tolerance, $"{what}: every padding gives the score of the sequence alone");
    }

    [TestMethod]
    public void SeriesScoreDoesNotDependOnPaddingOrBatch()
    {
        var model = Series.Value;
        var network = model.Model.Network;
        const int f = SequenceModels.Features;
        var random = new Random(31);
        float[] sequence = Enumerable.Range(0, Steps * f).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        float[] other = Enumerable.Range(0, Longer * f).Select(_ => (float)(2 * random.NextDouble() - 1)).ToArray();
        float[] garbage = Enumerable.Repeat(9f, 50 * f).ToArray(); // finite values in the padded steps must not matter
        sequence.CopyTo(garbage, 0);

        (Tensor X, int[] Lengths)[] variants =
        [
            (SequenceTestData.Batch([sequence], Steps, f), [Steps]),
            (SequenceTestData.Batch([sequence], 10, f), [Steps]),
            (SequenceTestData.Batch([garbage], 50, f), [Steps]),
            (SequenceTestData.Batch([sequence, other], 50, f), [Steps, Longer]),
        ];
        using var session = new InferenceSession(SequenceModels.Onnx(model));
        AllClose(variants.Select(v => SequenceTestData.EngineForward(network, v.X, v.Lengths)[..1]).ToArray(), "engine");
        AllClose(variants.Select(v => SequenceModels.RunSeries(session, v.X, v.Lengths)[..1]).ToArray(), "ONNX");

        float[] empty = SequenceTestData.EngineForward(network, new Tensor(1, 3, f), [0]);
        float[] emptyOnnx = SequenceModels.RunSeries(session, new Tensor(1, 3, f), [0]);
        empty.Should().OnlyContain(v => float.IsFinite(v));
        emptyOnnx[0].Should().BeApproximately(empty[0], Tolerance, "an empty sequence is defined the same way in ONNX");
        var emptyInBatch = SequenceTestData.EngineForward(network, SequenceTestData.Batch([[], other], 50, f), [0, Longer]);
        emptyInBatch[0].Should().BeApproximately(empty[0], Tolerance);
    }

    [TestMethod]
    public void TokenScoreDoesNotDependOnPaddingOrBatch()
    {
        var (model, words) = Tokens.Value;
        var network = model.Model.Network;
        int[] keys = [3, 17, 1, 25, 8, 8, 30];
        int[] otherKeys = Enumerable.Range(0, Longer).Select(i => 1 + (i * 7 % 30)).ToArray();

        float[] Engine(int steps, params int[][] rows)
        {
            var x = new Tensor(rows.Length, steps);
            for (int r = 0; r < rows.Length; r++)
                for (int t = 0; t < rows[r].Length; t++) x[r * steps + t] = rows[r][t];
            return SequenceModels.Softmax(SequenceTestData.EngineForward(network, x, null), 3)[..3];
        }

        float[] Onnx(InferenceSession session, int steps, params int[][] rows)
        {
            var text = new string[rows.Length * steps];
            Array.Fill(text, "");
            for (int r = 0; r < rows.Length; r++)
                for (int t = 0; t < rows[r].Length; t++) text[r * steps + t] = words[rows[r][t] - 1];
            return SequenceModels.RunTokens(session, text, rows.Length)[..3];
        }

        using var session = new InferenceSession(SequenceModels.Onnx(model));
        AllClose([Engine(Steps, keys), Engine(10, keys), Engine(50, keys), Engine(50, keys, otherKeys)], "engine");
        AllClose([Onnx(session, Steps, keys), Onnx(session, 10, keys), Onnx(session, 50, keys), Onnx(session, 50, keys, otherKeys)], "ONNX");

        float[] empty = Engine(4, new int[0]);
        empty.Should().OnlyContain(v => float.IsFinite(v));
        empty.Sum().Should().BeApproximately(1f, 1e-5f, "an empty text still gets class probabilities");
        AllClose([empty, Engine(50, [], otherKeys), Onnx(session, 4, new int[0])], "empty sequence");
    }
}
