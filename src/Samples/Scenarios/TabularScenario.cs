using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>
/// A multiclass MLP on the 8x8 handwritten digits (1,797 rows, 64 pixels of 0..16): load the CSV, split 70/30,
/// normalize, train with per-epoch progress, evaluate, save model.zip and model.onnx, reload the zip and check that it
/// scores the same.
/// </summary>
internal static class TabularScenario
{
    public static IReadOnlyDictionary<string, double> Run(DirectoryInfo output)
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromTextFile(Scenario.DataPath("tabular/digits_8x8.csv"),
            [new TextLoader.Column("Features", DataKind.Single, 0, 63), new TextLoader.Column("Label", DataKind.Single, 64)],
            separatorChar: ',', hasHeader: true);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.3, seed: 0);

        var trainer = ml.MulticlassClassification.Trainers.Mlp(new MlpMulticlassTrainer.Options
        {
            HiddenLayerSizes = [128],
            NumberOfEpochs = 30,
            OnEpochEnd = epoch => Console.WriteLine($"  {epoch}"),
        });
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(trainer);

        Console.WriteLine("Training a 64-128-10 MLP on the 8x8 digits (70/30 split)...");
        using var model = new DisposableChain(pipeline.Fit(split.TrainSet));
        var scored = model.Chain.Transform(split.TestSet);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Console.WriteLine($"Test: MicroAccuracy {metrics.MicroAccuracy:F4}, MacroAccuracy {metrics.MacroAccuracy:F4}, LogLoss {metrics.LogLoss:F4}");
        Console.WriteLine(metrics.ConfusionMatrix.GetFormattedConfusionTable());

        string zip = Path.Combine(output.FullName, "model.zip");
        string onnx = Path.Combine(output.FullName, "model.onnx");
        ml.Model.Save(model.Chain, split.TrainSet.Schema, zip);
        model.Chain.LastTransformer.SaveAsOnnx(onnx);
        Console.WriteLine($"Saved {zip} ({new FileInfo(zip).Length:N0} bytes) and {onnx} ({new FileInfo(onnx).Length:N0} bytes).");

        var loaded = ml.Model.Load(zip, out _);
        try
        {
            var before = scored.GetColumn<float[]>("Score").ToArray();
            var after = loaded.Transform(split.TestSet).GetColumn<float[]>("Score").ToArray();
            double maxDiff = before.Zip(after).Max(p => p.First.Zip(p.Second).Max(q => Math.Abs(q.First - q.Second)));
            Console.WriteLine($"Reloaded model.zip: largest score difference {maxDiff:G3} over {before.Length} rows.");
            if (maxDiff > 1e-6) throw new InvalidOperationException($"The reloaded model scores differently (max |diff| {maxDiff}).");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }

        return new Dictionary<string, double>
        {
            [nameof(metrics.MicroAccuracy)] = metrics.MicroAccuracy,
            [nameof(metrics.MacroAccuracy)] = metrics.MacroAccuracy,
            [nameof(metrics.LogLoss)] = metrics.LogLoss,
        };
    }

    /// <summary>Disposes the fitted chain (its ONNX Runtime session) at the end of the sample.</summary>
    private sealed class DisposableChain(TransformerChain<MulticlassNeuralPredictionTransformer> chain) : IDisposable
    {
        public TransformerChain<MulticlassNeuralPredictionTransformer> Chain { get; } = chain;

        public void Dispose() => Chain.Dispose();
    }
}
