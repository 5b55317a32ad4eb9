using System.Diagnostics;
using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// A model zip saved from a pipeline ending in an MLP trainer loads in a separate process that references only
/// Microsoft.ML, Microsoft.ML.OnnxTransformer, Microsoft.ML.OnnxRuntime and (for the stateless glue)
/// Microsoft.ML.DeepExtensions, without calling any of our code (test/Microsoft.ML.DeepExtensions.ModelLoader), and
/// reproduces the fitted model's Score, Probability and PredictedLabel within 1e-6, with the same column types.
/// The loading process leaves no file of ours or ML.NET's in its temp folder.
/// </summary>
[TestClass]
public sealed class MlpSavedModelSeparateProcessTests
{
    private static readonly string[] OutputColumns = ["Score", "Probability", "PredictedLabel"];

    [TestMethod]
    [DataRow("breast_cancer")]
    [DataRow("iris")]
    [DataRow("wine")]
    [DataRow("diabetes")]
    public void SeparateProcessReproducesScoresOfSavedModel(string dataset)
    {
        using var folder = new PrivateFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Folder("mltemp") };
        var (data, pipeline) = Setup(ml, dataset);
        var model = pipeline.Fit(data);
        using var disposeModel = (IDisposable)model;
        string zip = folder.File("model.zip"), input = folder.File("features.bin"), output = folder.File("scores.bin");
        ml.Model.Save(model, data.Schema, zip);
        var features = MlpTestTasks.Features(data);
        WriteFeatures(input, features);
        var expected = ReadColumns(model.Transform(data));
        expected.Select(c => c.Name).Should().Equal(dataset switch
        {
            "breast_cancer" => OutputColumns,
            "diabetes" => ["Score"],
            _ => ["Score", "PredictedLabel"],
        });

        RunLoader(zip, input, output, childTemp: folder.Folder("childtemp"));

        var actual = ReadScoreFile(output, out int rows);
        rows.Should().Be(features.Length);
        actual.Select(c => c.Name).Should().Equal(expected.Select(c => c.Name));
        for (int c = 0; c < expected.Count; c++)
        {
            actual[c].Type.Should().Be(expected[c].Type, "column {0} has the same type when loaded elsewhere", expected[c].Name);
            actual[c].Values.Should().HaveSameCount(expected[c].Values);
            for (int i = 0; i < expected[c].Values.Length; i++)
            {
                float e = expected[c].Values[i], a = actual[c].Values[i];
                Math.Abs(a - e).Should().BeLessThanOrEqualTo(1e-6f * Math.Max(1f, Math.Abs(e)), "{0}[{1}]", expected[c].Name, i);
            }
        }
        expected[0].Values.Distinct().Should().HaveCountGreaterThan(rows / 2, "precondition: the scores vary");
        // ONNX Runtime's native library keeps one small fixed-name marker file, $TMPDIR/.ses, which is not ours.
        folder.Files("childtemp").Where(f => Path.GetFileName(f) != ".ses").Should()
            .BeEmpty("the loading process disposed the model, which deletes the ONNX file ML.NET unpacked at Load");
    }

    private static (IDataView Data, IEstimator<ITransformer> Pipeline) Setup(MLContext ml, string dataset)
    {
        // Labels are converted before the saved pipeline, so the loading process needs only the Features column.
        switch (dataset)
        {
            case "breast_cancer":
                return (MlpTestTasks.BreastCancer(ml), MlpTestTasks.Binary(ml));
            case "diabetes":
                return (MlpTestTasks.Diabetes(ml), MlpTestTasks.Regression(ml));
            default:
                var raw = dataset == "iris" ? MlpTestTasks.Iris(ml) : MlpTestTasks.Wine(ml);
                var labelToKey = dataset == "iris" ? ml.Transforms.Conversion.MapValueToKey("Label") : MlpTestTasks.WineLabelToKey(ml);
                var keyed = labelToKey.Fit(raw).Transform(raw);
                return (keyed, ml.Transforms.NormalizeMeanVariance("Features").Append(ml.MulticlassClassification.Trainers.Mlp(MlpTestTasks.MulticlassOptions())));
        }
    }

    /// <summary>Runs <c>dotnet Microsoft.ML.DeepExtensions.ModelLoader.dll zip input output</c> with TMPDIR set to <paramref name="childTemp"/>.</summary>
    private static void RunLoader(string zip, string input, string output, string childTemp)
    {
        string loader = LoaderPath();
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { loader, zip, input, output }) start.ArgumentList.Add(arg);
        start.Environment["TMPDIR"] = childTemp;
        start.Environment["TMP"] = childTemp;
        start.Environment["TEMP"] = childTemp;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The model loader did not finish within 60 s.");
        }
        process.ExitCode.Should().Be(0, "the loader succeeds (stderr: {0}; stdout: {1})", stderr.Result, stdout.Result);
    }

    /// <summary>The loader built with this test assembly's configuration (recorded by the test project's build).</summary>
    private static string LoaderPath()
    {
        string? path = typeof(MlpSavedModelSeparateProcessTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == "ModelLoaderPath")?.Value;
        path.Should().NotBeNullOrEmpty("the test project records the loader's path at build time");
        File.Exists(path).Should().BeTrue("the loader was built at {0}", path);
        return path!;
    }

    /// <summary>The dotnet host: the one running the tests when known, else <c>dotnet</c> from PATH.</summary>
    private static string DotnetHost()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }

    private static void WriteFeatures(string path, float[][] rows)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(rows.Length);
        writer.Write(rows[0].Length);
        foreach (var row in rows)
            foreach (float v in row) writer.Write(v);
    }

    private sealed record ScoredColumn(string Name, string Type, float[] Values);

    /// <summary>The output columns the loader writes, read in-process the same way (Boolean as 0/1, a key as its number).</summary>
    private static List<ScoredColumn> ReadColumns(IDataView scored)
    {
        var columns = new List<ScoredColumn>();
        foreach (string name in OutputColumns)
        {
            if (scored.Schema.GetColumnOrNull(name) is not { } column) continue;
            float[] values = column.Type switch
            {
                VectorDataViewType => scored.GetColumn<float[]>(name).SelectMany(v => v).ToArray(),
                BooleanDataViewType => scored.GetColumn<bool>(name).Select(b => b ? 1f : 0f).ToArray(),
                KeyDataViewType => scored.GetColumn<uint>(name).Select(k => (float)k).ToArray(),
                _ => scored.GetColumn<float>(name).ToArray(),
            };
            columns.Add(new ScoredColumn(name, column.Type.ToString()!, values));
        }
        return columns;
    }

    private static List<ScoredColumn> ReadScoreFile(string path, out int rows)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        rows = reader.ReadInt32();
        int count = reader.ReadInt32();
        var columns = new List<ScoredColumn>();
        for (int c = 0; c < count; c++)
        {
            string name = reader.ReadString(), type = reader.ReadString();
            int width = reader.ReadInt32();
            var values = new float[rows * width];
            for (int i = 0; i < values.Length; i++) values[i] = reader.ReadSingle();
            columns.Add(new ScoredColumn(name, type, values));
        }
        return columns;
    }
}
