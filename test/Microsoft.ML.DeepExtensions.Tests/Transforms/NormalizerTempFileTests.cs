using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Tests.Trainers;
using Microsoft.ML.DeepExtensions.Transforms;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>
/// Fit → Transform → Save → Load → SaveAsOnnx → Dispose of a normalizer leaves no temporary file behind, neither the
/// library's ONNX file (<c>Path.GetTempPath()/dx-*.onnx</c>) nor ML.NET's (<c>MLContext.TempFilePath</c>). The system temp
/// folder is redirected through TMPDIR for the duration of the test, as in <see cref="MlpTempFileTests"/>.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class NormalizerTempFileTests
{
    [TestMethod]
    public void FitSaveLoadExportDisposeLeaveNoTemporaryFiles()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Inconclusive("Redirects Path.GetTempPath() through TMPDIR (Unix only).");
        using var folder = new PrivateFolder();
        string systemTemp = folder.Folder("systemtemp"), mlTemp = folder.Folder("mltemp"), output = folder.Folder("output");
        string? originalTmpDir = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", systemTemp);
        try
        {
            Path.GetFullPath(Path.GetTempPath()).TrimEnd('/').Should().Be(systemTemp, "precondition: the system temp folder is redirected");
            var created = new List<string>();
            using var watcher = new FileSystemWatcher(systemTemp, "dx-*") { EnableRaisingEvents = true };
            watcher.Renamed += (_, e) =>
            {
                lock (created) created.Add(e.Name!);
            };

            var ml = new MLContext(seed: 0) { TempFilePath = mlTemp };
            var data = TabularData.Wine(ml);
            var fitted = ml.Transforms.Standardize("Features").Append(ml.Transforms.ScaleMinMax("Features", scope: NormalizationScope.PerSlot)).Fit(data);
            fitted.Transform(data).GetColumn<float[]>("Features").Count().Should().Be(178);
            LeftOver(folder).Should().BeEmpty("Fit deletes the ONNX files once the chains are built");

            ml.Model.Save(fitted, data.Schema, Path.Combine(output, "model.zip"));
            fitted.LastTransformer.SaveAsOnnx(Path.Combine(output, "minmax.onnx"));
            LeftOver(folder).Should().BeEmpty("Save deletes the ONNX files once the chains are saved");

            var loaded = ml.Model.Load(Path.Combine(output, "model.zip"), out _);
            loaded.Transform(data).GetColumn<float[]>("Features").First().Should().Equal(fitted.Transform(data).GetColumn<float[]>("Features").First());
            folder.Files("mltemp").Should().HaveCount(2, "precondition: a loaded model keeps each unpacked ONNX graph in MLContext.TempFilePath until disposed");

            fitted.Dispose();
            ((IDisposable)loaded).Dispose();
            LeftOver(folder).Should().BeEmpty("Dispose of the fitted and of the loaded model deletes every temporary file");
            folder.Files("output").Should().Equal(["output/minmax.onnx", "output/model.zip"]);
            WaitFor(() => { lock (created) return created.Count(n => n.EndsWith(".onnx", StringComparison.Ordinal)) >= 2; })
                .Should().BeTrue("precondition: the library wrote its dx-*.onnx files where this test looks (seen: {0})", string.Join(", ", created));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", originalTmpDir);
        }
    }

    private static string[] LeftOver(PrivateFolder folder) =>
        folder.Files("systemtemp").Concat(folder.Files("mltemp")).Where(f => Path.GetFileName(f) != ".ses").ToArray();

    private static bool WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 40 && !condition(); i++) Thread.Sleep(50);
        return condition();
    }
}
