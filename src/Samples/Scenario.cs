using System.Diagnostics;
using System.Text.Json;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>One runnable sample: a name, a description, and a body that returns ML.NET-named metrics.</summary>
internal sealed record Scenario(string Name, string Description, Func<DirectoryInfo, IReadOnlyDictionary<string, double>> Body)
{
    /// <summary>The scenario run when no argument is given.</summary>
    public const string Default = "mnist";

    /// <summary>All scenarios.</summary>
    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("mnist", "LeNet-5 on the MNIST subset (the main sample)", MnistScenario.RunDigits),
        new("fashion", "LeNet-5 on the Fashion-MNIST subset", MnistScenario.RunFashion),
        new("images", "classify PNG files through ML.NET ImageAnalytics", ImagesScenario.Run),
        new("tabular", "multiclass MLP on the 8x8 digits CSV", TabularScenario.Run),
        new("augmentation", "LeNet-5 with and without image augmentation, on shifted and rotated digits", AugmentationScenario.Run),
        new("weather", "GRU forecast of tomorrow's maximum temperature in Seattle", WeatherScenario.Run),
        new("sentiment-lstm", "bidirectional LSTM over words on the labelled sentences", SentimentLstmScenario.Run),
    ];

    /// <summary>Runs <paramref name="scenario"/>, writing its files to <paramref name="output"/>.</summary>
    public static int Run(Scenario scenario, DirectoryInfo output, bool json)
    {
        output.Create();
        var clock = Stopwatch.StartNew();
        var metrics = scenario.Body(output);
        double seconds = Math.Round(clock.Elapsed.TotalSeconds, 2);
        Console.WriteLine($"Done in {seconds:F1} s. Files in {output.FullName}");
        if (json)
            Console.WriteLine(JsonSerializer.Serialize(new { scenario = scenario.Name, metrics, seconds }));
        return 0;
    }

    /// <summary>The path of a data file shipped with the samples (copied next to the executable).</summary>
    public static string DataPath(string relative) => Path.Combine(AppContext.BaseDirectory, "data", relative);
}
