using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Scoring;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// A trained neural network in an ML.NET pipeline. It scores, and saves, through a chain of ML.NET built-ins
/// (ML.NET's <c>OnnxTransformer</c> carrying the network's ONNX graph, plus stateless glue), so a model saved with
/// <c>mlContext.Model.Save</c> loads with a plain <c>mlContext.Model.Load</c> and scores identically.
/// </summary>
/// <remarks>
/// Dispose it when done: the ONNX Runtime session behind the chain holds native memory. A model loaded with
/// <c>mlContext.Model.Load</c> is an ML.NET <c>TransformerChain</c> that also should be disposed (ML.NET then deletes the
/// temporary file it unpacked the ONNX graph into).
/// </remarks>
public abstract class NeuralPredictionTransformer : ISingleFeaturePredictionTransformer<NeuralNetworkModelParameters>, IDisposable
{
    private readonly ITransformer _chain;
    private readonly OnnxModelFile _onnx;
    private bool _disposed;

    private protected NeuralPredictionTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType)
    {
        _chain = chain;
        _onnx = onnx;
        Model = model;
        FeatureColumnName = featureColumnName;
        FeatureColumnType = featureColumnType;
    }

    /// <summary>The trained network, its options and training history.</summary>
    public NeuralNetworkModelParameters Model { get; }

    /// <summary>The feature column the network reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The feature column's type (Single, or a known-size vector of Single).</summary>
    public DataViewType FeatureColumnType { get; }

    /// <summary>True.</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The ML.NET built-ins that score and save this model.</summary>
    internal ITransformer Chain => _chain;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => _chain.GetRowToRowMapper(inputSchema);

    /// <summary>Scores <paramref name="input"/>: adds the task's output columns (lazily, like every ML.NET transformer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing.</exception>
    public IDataView Transform(IDataView input)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _chain.Transform(input);
    }

    /// <summary>Saved as the chain of built-ins (the ONNX graph is written to a temporary file only while saving).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _onnx.WithFile(_ =>
        {
            _chain.Save(ctx);
            return 0;
        });
    }

    /// <summary>
    /// Writes the model as an ONNX file for deployment outside ML.NET: input named after <see cref="FeatureColumnName"/>
    /// <c>[N, *InputShape]</c> float32 (N symbolic), outputs <c>Score</c> (and <c>Probability</c>, <c>PredictedLabel</c>
    /// by task; see each transformer), the same graph ML.NET scores with. Written to a temporary file and moved into place.
    /// The sequence trainers write a graph with symbolic batch and time dimensions instead (see their documentation).
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveAsOnnx(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        string temp = full + $".{Guid.NewGuid():N}.tmp";
        try
        {
            File.WriteAllBytes(temp, _onnx.ExportBytes.ToArray());
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes the ONNX model (see <see cref="SaveAsOnnx(string)"/>) to <paramref name="stream"/>.</summary>
    public void SaveAsOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(_onnx.ExportBytes);
    }

    /// <summary>Releases the ONNX Runtime session and deletes any temporary file.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        (_chain as IDisposable)?.Dispose();
        _onnx.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A trained binary classifier. Output columns, as ML.NET's binary trainers: <c>Score</c> (Single, the logit),
/// <c>Probability</c> (Single, <c>σ(Score)</c>), <c>PredictedLabel</c> (Boolean, <c>Score &gt; 0</c>).
/// </summary>
public sealed class BinaryNeuralPredictionTransformer : NeuralPredictionTransformer
{
    internal BinaryNeuralPredictionTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType)
        : base(chain, onnx, model, featureColumnName, featureColumnType) { }
}

/// <summary>
/// A trained multiclass classifier. Output columns, as ML.NET's multiclass trainers: <c>Score</c> (vector of Single,
/// the class probabilities in the label's key order, with the class names as slot names; its dimensions are
/// <c>(1, C)</c>), <c>PredictedLabel</c> (the label's key type, with its KeyValues).
/// </summary>
public sealed class MulticlassNeuralPredictionTransformer : NeuralPredictionTransformer
{
    internal MulticlassNeuralPredictionTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType)
        : base(chain, onnx, model, featureColumnName, featureColumnType) { }
}

/// <summary>A trained regressor. Output column, as ML.NET's regression trainers: <c>Score</c> (Single).</summary>
public sealed class RegressionNeuralPredictionTransformer : NeuralPredictionTransformer
{
    internal RegressionNeuralPredictionTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType)
        : base(chain, onnx, model, featureColumnName, featureColumnType) { }
}
