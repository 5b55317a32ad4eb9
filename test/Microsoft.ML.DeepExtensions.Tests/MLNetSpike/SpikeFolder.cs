namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

/// <summary>SPIKE: a private folder for model files, with a separate temp folder for MLContext.TempFilePath (to count leaked files).</summary>
internal sealed class SpikeFolder : IDisposable
{
    public SpikeFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "dx-mlnet-spike-" + Guid.NewGuid().ToString("N"));
        Temp = Path.Combine(Root, "mltemp");
        Directory.CreateDirectory(Temp);
    }

    public string Root { get; }

    /// <summary>The folder to assign to MLContext.TempFilePath.</summary>
    public string Temp { get; }

    public string File(string name) => Path.Combine(Root, name);

    public string[] TempFiles() => Directory.GetFileSystemEntries(Temp);

    /// <summary>When DX_SPIKE_EXPORT_DIR is set, copies a saved model there (used once, by hand, to load it in a separate process).</summary>
    public static void Export(string path)
    {
        string? dir = Environment.GetEnvironmentVariable("DX_SPIKE_EXPORT_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        System.IO.File.Copy(path, Path.Combine(dir, Path.GetFileName(path)), overwrite: true);
    }

    public void Dispose()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
