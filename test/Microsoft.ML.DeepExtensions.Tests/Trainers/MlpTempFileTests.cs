using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Fit → Save → Load → Transform → Dispose (of the fitted and of the loaded model) leaves no temporary file behind:
/// neither the library's own ONNX file (<c>Path.GetTempPath()/dx-*.onnx</c>, written while a chain is built or saved)
/// nor ML.NET's (<c>MLContext.TempFilePath</c>, where <c>Model.Load</c> unpacks the ONNX graph until Dispose).
/// </summary>
/// <remarks>
/// <c>Path.GetTempPath()</c> is pointed (through TMPDIR, which .NET reads on every call) at a private folder for the
/// duration of the test, so files of other processes in the shared temp folder cannot disturb it; the test therefore
/// runs alone ([DoNotParallelize]). A watcher proves the library's files were really written there.
/// </remarks>
[TestClass]
[DoNotParallelize]
public sealed class MlpTempFileTests
{
    [TestMethod]
    [DataRow("binary")]
    [DataRow("multiclass")]
    [DataRow("regression")]
    public void FitSaveLoadTransformDisposeLeaveNoTemporaryFiles(string task)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) Assert.Inconclusive("Redirects Path.GetTempPath() through TMPDIR (Unix only).");
        using var folder = new PrivateFolder();
        string systemTemp = folder.Folder("systemtemp"), mlTemp = folder.Folder("mltemp"), zip = folder.File("model.zip");
        string? originalTmpDir = Environment.GetEnvironmentVariable("TMPDIR");
        Environment.SetEnvironmentVariable("TMPDIR", systemTemp);
        try
        {
            Path.GetFullPath(Path.GetTempPath()).TrimEnd('/').Should().Be(systemTemp, "precondition: the system temp folder is redirected");
            var created = new List<string>();
            using var watcher = new FileSystemWatcher(systemTemp, "dx-*") { EnableRaisingEvents = true };
            watcher.Created += (_, e) =>
            {
                lock (created) created.Add(e.Name!);
            };
            watcher.Renamed += (_, e) =>
            {
                lock (created) created.Add(e.Name!); // the library writes dx-*.onnx.tmp and renames it to dx-*.onnx
            };

            var ml = new MLContext(seed: 0) { TempFilePath = mlTemp };
            var (data, estimator) = Setup(ml, task);
            var fitted = estimator.Fit(data);
            LeftOver(folder).Should().BeEmpty("Fit deletes the ONNX file once the chain is built");

            ml.Model.Save(fitted, data.Schema, zip);
            LeftOver(folder).Should().BeEmpty("Save deletes the ONNX file once the chain is saved");

            var loaded = ml.Model.Load(zip, out _);
            FirstScores(loaded.Transform(data)).Should().Equal(FirstScores(fitted.Transform(data)), "the loaded model scores like the fitted one");
            folder.Files("mltemp").Should().ContainSingle("precondition: a loaded model keeps its unpacked ONNX graph in MLContext.TempFilePath until disposed");

            ((IDisposable)fitted).Dispose();
            ((IDisposable)loaded).Dispose();

            LeftOver(folder).Should().BeEmpty("Dispose of the fitted and of the loaded model deletes every temporary file");
            folder.Files().Should().Equal(["model.zip"], "only the saved model remains");
            WaitFor(() => { lock (created) return created.Any(n => n.EndsWith(".onnx", StringComparison.Ordinal)); })
                .Should().BeTrue("precondition: the library wrote its dx-*.onnx files where this test looks (seen: {0})", string.Join(", ", created));
        }
        finally
        {
            Environment.SetEnvironmentVariable("TMPDIR", originalTmpDir);
        }
    }

    /// <summary>
    /// Files in the redirected system temp folder (any name; ONNX Runtime's native fixed-name marker <c>.ses</c>,
    /// which it keeps in the real TMPDIR, is not ours) and in MLContext.TempFilePath.
    /// </summary>
    private static string[] LeftOver(PrivateFolder folder) =>
        folder.Files("systemtemp").Concat(folder.Files("mltemp")).Where(f => Path.GetFileName(f) != ".ses").ToArray();

    private static (IDataView Data, IEstimator<ITransformer> Estimator) Setup(MLContext ml, string task) => task switch
    {
        "binary" => (MlpTestTasks.BreastCancer(ml), MlpTestTasks.Binary(ml, MlpTestTasks.BinaryOptions(epochs: 2))),
        "multiclass" => (MlpTestTasks.Wine(ml), MlpTestTasks.WineMulticlass(ml, MlpTestTasks.MulticlassOptions(epochs: 2))),
        _ => (MlpTestTasks.Diabetes(ml), MlpTestTasks.Regression(ml, MlpTestTasks.RegressionOptions(epochs: 2))),
    };

    /// <summary>The Score values of the first rows (all slots of a multiclass Score).</summary>
    private static float[] FirstScores(IDataView scored) => scored.Schema["Score"].Type is VectorDataViewType
        ? scored.GetColumn<float[]>("Score").Take(5).SelectMany(v => v).ToArray()
        : scored.GetColumn<float>("Score").Take(5).ToArray();

    private static bool WaitFor(Func<bool> condition)
    {
        for (int i = 0; i < 40 && !condition(); i++) Thread.Sleep(50);
        return condition();
    }
}
