using System.Diagnostics;
using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>
/// Runs the stand-alone model loader (test/Microsoft.ML.DeepExtensions.ModelLoader) in a process of its own
/// (the separate-process tests of the trainers), and reads and writes its binary files (format in the loader's
/// Program.cs).
/// </summary>
internal static class ModelLoaderProcess
{
    /// <summary>The output columns the loader writes, in order, when the model produces them.</summary>
    public static readonly string[] OutputColumns = ["Score", "Probability", "PredictedLabel"];

    /// <summary>One output column: its name, its type as <c>DataViewType.ToString()</c> and its values row by row.</summary>
    public sealed record ScoredColumn(string Name, string Type, float[] Values);

    /// <summary>
    /// Runs <c>dotnet Microsoft.ML.DeepExtensions.ModelLoader.dll zip input output [dimensions]</c> with TMPDIR set to
    /// <paramref name="childTemp"/>, and fails the test if it does not succeed within 60 s.
    /// </summary>
    public static void Run(string zip, string input, string output, string childTemp, IReadOnlyList<int>? dimensions = null)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { LoaderPath(), zip, input, output }) start.ArgumentList.Add(arg);
        if (dimensions is not null) start.ArgumentList.Add(string.Join(",", dimensions));
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

    /// <summary>Writes the loader's input: int32 rows, int32 width, then the values row-major.</summary>
    public static void WriteFeatures(string path, float[][] rows)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(rows.Length);
        writer.Write(rows[0].Length);
        foreach (var row in rows)
            foreach (float v in row) writer.Write(v);
    }

    /// <summary>The output columns of <paramref name="scored"/> as the loader writes them (Boolean as 0/1, a key as its number).</summary>
    public static List<ScoredColumn> ReadColumns(IDataView scored)
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

    /// <summary>Reads the loader's output file.</summary>
    public static List<ScoredColumn> ReadScoreFile(string path, out int rows)
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

    /// <summary>
    /// Asserts that the loading process wrote <paramref name="rows"/> rows of the same columns (names and types) as
    /// <paramref name="expected"/>, every value within <c>tolerance·max(1, |expected|)</c>, that the first column varies
    /// (a precondition: constant scores would prove nothing), and that the process left no file of ours in
    /// <paramref name="childTempFiles"/> (ONNX Runtime's own fixed marker <c>.ses</c> aside).
    /// </summary>
    public static void AssertSameScores(List<ScoredColumn> expected, List<ScoredColumn> actual, int rows, int expectedRows,
        float tolerance, IEnumerable<string> childTempFiles)
    {
        rows.Should().Be(expectedRows);
        actual.Select(c => c.Name).Should().Equal(expected.Select(c => c.Name));
        for (int c = 0; c < expected.Count; c++)
        {
            actual[c].Type.Should().Be(expected[c].Type, "column {0} has the same type when loaded elsewhere", expected[c].Name);
            actual[c].Values.Should().HaveSameCount(expected[c].Values);
            for (int i = 0; i < expected[c].Values.Length; i++)
            {
                float e = expected[c].Values[i], a = actual[c].Values[i];
                Math.Abs(a - e).Should().BeLessThanOrEqualTo(tolerance * Math.Max(1f, Math.Abs(e)), "{0}[{1}]", expected[c].Name, i);
            }
        }
        expected[0].Values.Distinct().Should().HaveCountGreaterThan(rows / 2, "precondition: the scores vary");
        childTempFiles.Where(f => Path.GetFileName(f) != ".ses").Should()
            .BeEmpty("the loading process disposed the model, which deletes the ONNX file ML.NET unpacked at Load");
    }

    /// <summary>The loader built with this test assembly's configuration (recorded by the test project's build).</summary>
    private static string LoaderPath()
    {
        string? path = typeof(ModelLoaderProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
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
}
