using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Microsoft.ML.DeepExtensions.Engine.Tensor;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>
/// Small trained sequence models for the ONNX and padding tests, and helpers to run their exported ONNX graphs with ONNX
/// Runtime. A network keeps per-call buffers, so each test class trains its own (classes run in parallel).
/// </summary>
internal static class SequenceModels
{
    public const int Features = 3;

    /// <summary>A 2-layer bidirectional LSTM regressor on variable-length series of 3 features (inputs <c>Features</c> and <c>lengths</c>).</summary>
    public static RegressionNeuralPredictionTransformer TrainSeries()
    {
        var ml = new MLContext(seed: 0);
        var data = SequenceTestData.Variable(ml, SequenceTestData.Series(96, Features, 12, seed: 11));
        var options = new RecurrentRegressionTrainer.Options
        {
            FeaturesPerStep = Features, HiddenSize = 8, NumberOfLayers = 2, Bidirectional = true, Dropout = 0.2f, NumberOfEpochs = 2, Seed = 0,
        };
        return ml.Regression.Trainers.Lstm(options).Fit(data);
    }

    /// <summary>A bidirectional GRU classifier (3 classes) on token keys of a 30-word vocabulary, and the words in key order.</summary>
    public static (MulticlassNeuralPredictionTransformer Model, string[] Words) TrainTokens()
    {
        var ml = new MLContext(seed: 0);
        var random = new Random(12);
        var rows = Enumerable.Range(0, 90).Select(i =>
        {
            var words = Enumerable.Range(0, 1 + random.Next(10)).Select(_ => $"w{random.Next(30)}").ToArray();
            return new ClassTextRow { Text = string.Join(' ', words), Label = (uint)(words.Length % 3) };
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(ClassTextRow));
        schema[nameof(ClassTextRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), 3);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        var tokens = SequenceTestData.Tokenize(ml).Fit(data);
        var options = new RecurrentMulticlassTrainer.Options
        {
            FeatureColumnName = "Tokens", HiddenSize = 6, EmbeddingDimension = 5, Bidirectional = true, Pooling = SequencePoolingMode.Mean, NumberOfEpochs = 2, Seed = 0,
        };
        var transformed = tokens.Transform(data);
        var model = ml.MulticlassClassification.Trainers.Gru(options).Fit(transformed);
        VBuffer<ReadOnlyMemory<char>> words = default;
        transformed.Schema["Tokens"].GetKeyValues(ref words);
        return (model, words.DenseValues().Select(w => w.ToString()).ToArray());
    }

    /// <summary>The deployment ONNX graph of <paramref name="model"/> (what <c>SaveAsOnnx</c> writes).</summary>
    public static byte[] Onnx(NeuralPredictionTransformer model)
    {
        using var stream = new MemoryStream();
        model.SaveAsOnnx(stream);
        return stream.ToArray();
    }

    /// <summary>Runs the series graph on <paramref name="x"/> <c>(N, T, F)</c> with <paramref name="lengths"/>; returns <c>Score</c>.</summary>
    public static float[] RunSeries(InferenceSession session, Tensor x, int[] lengths)
    {
        var shape = x.Shape.ToArray();
        using var outputs = session.Run([
            NamedOnnxValue.CreateFromTensor("Features", new DenseTensor<float>(x.Span.ToArray(), shape)),
            NamedOnnxValue.CreateFromTensor("lengths", new DenseTensor<int>(lengths, [lengths.Length])),
        ], ["Score"]);
        return outputs[0].AsTensor<float>().ToArray();
    }

    /// <summary>Runs the token graph on words <c>(N, T)</c> (padding ""); returns <c>Score</c> (class probabilities).</summary>
    public static float[] RunTokens(InferenceSession session, string[] words, int batch)
    {
        using var outputs = session.Run([NamedOnnxValue.CreateFromTensor("Tokens", new DenseTensor<string>(words, [batch, words.Length / batch]))], ["Score"]);
        return outputs[0].AsTensor<float>().ToArray();
    }

    /// <summary>Row-wise softmax of logits <c>(N, C)</c>.</summary>
    public static float[] Softmax(float[] logits, int classes)
    {
        var p = new float[logits.Length];
        for (int r = 0; r < logits.Length / classes; r++)
        {
            var row = logits.AsSpan(r * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float v in row) max = Math.Max(max, v);
            double sum = 0;
            for (int c = 0; c < classes; c++) sum += Math.Exp(row[c] - max);
            for (int c = 0; c < classes; c++) p[r * classes + c] = (float)(Math.Exp(row[c] - max) / sum);
        }
        return p;
    }

    public sealed class ClassTextRow
    {
        public string Text { get; set; } = "";

        public uint Label { get; set; }
    }
}
