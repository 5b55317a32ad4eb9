namespace Microsoft.ML.DeepExtensions.Scoring;

/// <summary>
/// The serialized ONNX graph behind a scoring chain, and the temporary file ML.NET's <c>OnnxTransformer</c>
/// reads it from. <c>ApplyOnnxModel(path)</c> loads the model into ONNX Runtime at once but reads the file again
/// when the chain is saved, so the file is needed only while the chain is built and saved: it is written
/// (atomically) for those moments and deleted right after. Where the platform refuses to delete a file that
/// <c>OnnxTransformer</c> still holds open (Windows), deletion waits for <see cref="Dispose"/>.
/// </summary>
internal sealed class OnnxModelFile : IDisposable
{
    private readonly byte[] _bytes;
    private readonly byte[] _exportBytes;
    private readonly object _gate = new();

    /// <param name="bytes">The graph the scoring chain runs.</param>
    /// <param name="exportBytes">The graph <c>SaveAsOnnx</c> writes, when it differs from the scoring graph (e.g. symbolic sequence lengths instead of the fixed, padded input ML.NET needs); null for the same.</param>
    public OnnxModelFile(byte[] bytes, byte[]? exportBytes = null)
    {
        _bytes = bytes;
        _exportBytes = exportBytes ?? bytes;
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"dx-{Guid.NewGuid():N}.onnx");
    }

    /// <summary>The file's path (it exists only between <see cref="Write"/> and <see cref="TryDelete"/>).</summary>
    public string Path { get; }

    /// <summary>The ONNX bytes of the scoring graph.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes;

    /// <summary>The ONNX bytes of the graph for deployment outside ML.NET (<c>SaveAsOnnx</c>).</summary>
    public ReadOnlySpan<byte> ExportBytes => _exportBytes;

    /// <summary>Runs <paramref name="action"/> while the file exists on disk, then deletes it again if possible.</summary>
    public T WithFile<T>(Func<string, T> action)
    {
        lock (_gate)
        {
            try
            {
                Write();
                return action(Path);
            }
            finally
            {
                TryDelete();
            }
        }
    }

    private void Write()
    {
        if (File.Exists(Path)) return;
        string temp = Path + ".tmp";
        File.WriteAllBytes(temp, _bytes);
        File.Move(temp, Path, overwrite: true);
    }

    private void TryDelete()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Held open by OnnxTransformer on a platform that forbids deleting open files: Dispose retries.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Deletes the file if it is still there.</summary>
    public void Dispose()
    {
        lock (_gate) TryDelete();
    }
}
