using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>
/// Sentiment of the 3,000 labelled sentences (Amazon, IMDb, Yelp) with a bidirectional LSTM over words: text →
/// <c>NormalizeText</c> (lower case, no punctuation) → <c>TokenizeIntoWords</c> → <c>MapValueToKey</c> → LSTM on the
/// token keys (an embedding first). 80/20 split with seed 0. Saves model.zip (text in, sentiment out) and model.onnx
/// (words in), reloads the zip and classifies a few new sentences.
/// </summary>
internal static class SentimentLstmScenario
{
    private sealed class Sentence
    {
        public string Text { get; set; } = "";
    }

    private sealed class Sentiment
    {
        public bool PredictedLabel { get; set; }

        public float Probability { get; set; }
    }

    /// <summary>The trainer options (the sample is run as a test by SampleScenarioTests).</summary>
    public static RecurrentBinaryTrainer.Options Options() => new()
    {
        FeatureColumnName = "Tokens",
        EmbeddingDimension = 32,
        HiddenSize = 32,
        Bidirectional = true,
        Pooling = SequencePoolingMode.Mean,
        NumberOfEpochs = 8,
        LearningRate = 3e-3f,
        Optimizer = OptimizerKind.AdamW,
        WeightDecay = 1f,
        Seed = 0,
    };

    public static IReadOnlyDictionary<string, double> Run(DirectoryInfo output)
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromTextFile(Scenario.DataPath("text/sentiment_labelled_sentences.csv"),
            [new TextLoader.Column("Label", DataKind.Boolean, 0), new TextLoader.Column("Source", DataKind.String, 1), new TextLoader.Column("Text", DataKind.String, 2)],
            separatorChar: ',', hasHeader: true, allowQuoting: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 0);

        var options = Options();
        options.OnEpochEnd = epoch => Console.WriteLine($"  {epoch}");
        var pipeline = ml.Transforms.Text.NormalizeText("Text", keepPunctuations: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Tokens"))
            .Append(ml.BinaryClassification.Trainers.Lstm(options));
        Console.WriteLine("Training a bidirectional LSTM over words on 80 % of the 3,000 labelled sentences...");
        using var model = pipeline.Fit(split.TrainSet);

        var metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"Test: Accuracy {metrics.Accuracy:P2}, AreaUnderRocCurve {metrics.AreaUnderRocCurve:F4}, F1Score {metrics.F1Score:F4}, LogLoss {metrics.LogLoss:F4}");
        Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

        string zip = Path.Combine(output.FullName, "model.zip");
        string onnx = Path.Combine(output.FullName, "model.onnx");
        ml.Model.Save(model, split.TrainSet.Schema, zip);
        model.LastTransformer.SaveAsOnnx(onnx);
        Console.WriteLine($"Saved {zip} ({new FileInfo(zip).Length:N0} bytes) and {onnx} ({new FileInfo(onnx).Length:N0} bytes; input: words [N, T]).");

        var loaded = ml.Model.Load(zip, out _);
        try
        {
            var engine = ml.Model.CreatePredictionEngine<Sentence, Sentiment>(loaded);
            foreach (string text in new[] { "The food was great and the staff were friendly.", "Worst phone I ever bought, it broke in a week.", "Not bad at all." })
            {
                var p = engine.Predict(new Sentence { Text = text });
                Console.WriteLine($"  {(p.PredictedLabel ? "positive" : "negative"),-8} ({p.Probability:F2})  {text}");
            }
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }

        return new Dictionary<string, double>
        {
            [nameof(metrics.Accuracy)] = metrics.Accuracy,
            [nameof(metrics.AreaUnderRocCurve)] = metrics.AreaUnderRocCurve,
            [nameof(metrics.F1Score)] = metrics.F1Score,
        };
    }
}
