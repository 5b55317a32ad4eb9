using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Scoring;

/// <summary>
/// What every fitted model of this library delegates to (DESIGN.md decision 2): the chain of ML.NET built-ins that
/// scores it and is saved in its place (an <c>OnnxTransformer</c> carrying the model's ONNX graph, plus column copies
/// and stateless glue), and the <see cref="OnnxModelFile"/> that chain is built and saved from. Saving writes the ONNX
/// file only for the duration of the save; disposing releases the ONNX Runtime session and deletes any leftover file.
/// </summary>
internal sealed class BuiltInScoringChain : IDisposable
{
    private readonly object _owner;
    private bool _disposed;

    private BuiltInScoringChain(object owner, ITransformer chain, OnnxModelFile onnx)
    {
        _owner = owner;
        Chain = chain;
        Onnx = onnx;
    }

    /// <summary>The ML.NET built-ins.</summary>
    public ITransformer Chain { get; }

    /// <summary>The ONNX graph the chain's <c>OnnxTransformer</c> carries.</summary>
    public OnnxModelFile Onnx { get; }

    /// <summary>
    /// Writes <paramref name="onnx"/> to its temporary file, lets <paramref name="fit"/> build the chain from that path,
    /// and deletes the file again. On failure <paramref name="onnx"/> is disposed and the exception propagates.
    /// </summary>
    /// <param name="owner">The fitted model (named by <see cref="ObjectDisposedException"/>s).</param>
    /// <param name="onnx">The model's ONNX graph.</param>
    /// <param name="fit">Builds and fits the chain, given the path of the ONNX file.</param>
    public static BuiltInScoringChain Create(object owner, OnnxModelFile onnx, Func<string, ITransformer> fit)
    {
        try
        {
            return new BuiltInScoringChain(owner, onnx.WithFile(fit), onnx);
        }
        catch
        {
            onnx.Dispose();
            throw;
        }
    }

    /// <summary>Wraps an already fitted chain built from <paramref name="onnx"/>.</summary>
    public static BuiltInScoringChain Wrap(object owner, ITransformer chain, OnnxModelFile onnx) => new(owner, chain, onnx);

    /// <summary>Throws <see cref="ObjectDisposedException"/> (naming the fitted model) once disposed.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, _owner);

    /// <summary>The chain's output schema.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Chain.GetOutputSchema(inputSchema);

    /// <summary>The chain's row-to-row mapper.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        return Chain.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Scores <paramref name="input"/> with the chain (lazily).</summary>
    public IDataView Transform(IDataView input)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        return Chain.Transform(input);
    }

    /// <summary>Saves the chain (the ONNX graph is on disk only while ML.NET copies it into the model).</summary>
    public void Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(_disposed, _owner);
        Onnx.WithFile(_ =>
        {
            Chain.Save(ctx);
            return 0;
        });
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> through a temporary file moved into place.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void WriteFileAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = System.IO.Path.GetFullPath(path);
        string temp = full + $".{Guid.NewGuid():N}.tmp";
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                file.Write(bytes);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Releases the ONNX Runtime session and deletes any temporary file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        (Chain as IDisposable)?.Dispose();
        Onnx.Dispose();
    }
}
