using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>
/// Forecasts tomorrow's maximum temperature in Seattle from the previous 14 days with an LSTM: windows of 14 days × 6
/// values in a known-size vector (<c>FeaturesPerStep = 6</c>), normalized per slot, the last year (2015) held out.
/// Reports the mean absolute error against the persistence baseline "tomorrow = today", saves model.zip and model.onnx,
/// and reloads the zip.
/// </summary>
internal static class WeatherScenario
{
    /// <summary>The trainer options (also tested by RecurrentRealDataTests).</summary>
    public static RecurrentRegressionTrainer.Options Options() => new()
    {
        LabelColumnName = nameof(WeatherWindow.Change),
        FeaturesPerStep = SeattleWeather.FeaturesPerDay,
        HiddenSize = 32,
        NumberOfEpochs = 15,
        LearningRate = 3e-3f,
        Seed = 0,
    };

    public static IReadOnlyDictionary<string, double> Run(DirectoryInfo output)
    {
        var ml = new MLContext(seed: 0);
        var windows = SeattleWeather.Windows(Scenario.DataPath("timeseries/seattle_weather_daily_2012_2015.csv"));
        var trainWindows = windows.Where(w => string.CompareOrdinal(w.Date, "2015") < 0).ToList();
        var testWindows = windows.Where(w => w.Date.StartsWith("2015", StringComparison.Ordinal)).ToList();
        var train = ml.Data.LoadFromEnumerable(trainWindows);
        var test = ml.Data.LoadFromEnumerable(testWindows);
        Console.WriteLine($"Seattle daily weather: {trainWindows.Count} forecasts to train on (2012-2014), {testWindows.Count} held out (2015).");

        var options = Options();
        options.OnEpochEnd = epoch => Console.WriteLine($"  {epoch}");
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.Lstm(options));
        Console.WriteLine("Training LSTM(6, 32) on 14-day windows to predict the change of the maximum temperature...");
        using var model = pipeline.Fit(train);

        var scored = model.Transform(test);
        var metrics = ml.Regression.Evaluate(scored, labelColumnName: nameof(WeatherWindow.Change));
        double baseline = testWindows.Average(w => Math.Abs(w.Change));
        Console.WriteLine($"2015: MeanAbsoluteError {metrics.MeanAbsoluteError:F3} °C, persistence baseline {baseline:F3} °C " +
                          $"({100 * (1 - metrics.MeanAbsoluteError / baseline):F1} % lower), RootMeanSquaredError {metrics.RootMeanSquaredError:F3} °C.");
        var changes = scored.GetColumn<float>("Score").ToArray();
        Console.WriteLine("First forecasts of 2015 (°C):");
        for (int i = 0; i < 5; i++)
            Console.WriteLine($"  {testWindows[i].Date}: forecast {testWindows[i].Today + changes[i],5:F1}, actual {testWindows[i].Today + testWindows[i].Change,5:F1}, persistence {testWindows[i].Today,5:F1}");

        string zip = Path.Combine(output.FullName, "model.zip");
        string onnx = Path.Combine(output.FullName, "model.onnx");
        ml.Model.Save(model, train.Schema, zip);
        model.LastTransformer.SaveAsOnnx(onnx);
        Console.WriteLine($"Saved {zip} ({new FileInfo(zip).Length:N0} bytes) and {onnx} ({new FileInfo(onnx).Length:N0} bytes).");
        var loaded = ml.Model.Load(zip, out _);
        try
        {
            var again = loaded.Transform(test).GetColumn<float>("Score").ToArray();
            double maxDiff = changes.Zip(again).Max(p => Math.Abs(p.First - p.Second));
            Console.WriteLine($"Reloaded model.zip: largest score difference {maxDiff:G3}.");
            if (maxDiff > 1e-6) throw new InvalidOperationException($"The reloaded model scores differently (max |diff| {maxDiff}).");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }

        return new Dictionary<string, double>
        {
            [nameof(metrics.MeanAbsoluteError)] = metrics.MeanAbsoluteError,
            ["BaselineMeanAbsoluteError"] = baseline,
            [nameof(metrics.RootMeanSquaredError)] = metrics.RootMeanSquaredError,
        };
    }
}
