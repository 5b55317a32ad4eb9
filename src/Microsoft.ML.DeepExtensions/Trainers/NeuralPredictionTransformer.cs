using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Export;
using Microsoft.ML.DeepExtensions.Onnx;
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
public abstract class NeuralPredictionTransformer : ISingleFeaturePredictionTransformer<NeuralNetworkModelParameters>, IDisposable, IOnnxExportableTransformer
{
    private readonly BuiltInScoringChain _scoring;

    private protected NeuralPredictionTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType)
    {
        _scoring = BuiltInScoringChain.Wrap(this, chain, onnx);
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
    internal ITransformer Chain => _scoring.Chain;

    /// <summary>The task, which fixes the output columns.</summary>
    private protected abstract PredictionKind Kind { get; }

    /// <summary>
    /// The check of the scored data's feature column (set by the trainer when it fits the model), or null for none.
    /// It is not saved: a model reloaded with <c>mlContext.Model.Load</c> is ML.NET's chain of built-ins alone.
    /// </summary>
    internal FeatureColumnCheck? FeatureCheck { get; set; }

    /// <summary>The input schema plus the task's output columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing, or does not fit the network: another
    /// item type or number of values, or (image models) declared dimensions other than the model's <c>(C, H, W)</c>. The
    /// message names the column, its shape and the model's.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        FeatureCheck?.Check(inputSchema, nameof(inputSchema));
        return _scoring.GetOutputSchema(inputSchema);
    }

    /// <summary>The row-to-row mapper (used by <c>CreatePredictionEngine</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or does not fit the network (see <see cref="GetOutputSchema"/>).</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        _scoring.ThrowIfDisposed();
        FeatureCheck?.Check(inputSchema, nameof(inputSchema));
        return _scoring.GetRowToRowMapper(inputSchema);
    }

    /// <summary>Scores <paramref name="input"/>: adds the task's output columns (lazily, like every ML.NET transformer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or does not fit the network (see
    /// <see cref="GetOutputSchema"/>); checked here, before any row is read.</exception>
    /// <exception cref="ObjectDisposedException">The model was disposed.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        _scoring.ThrowIfDisposed();
        FeatureCheck?.Check(input.Schema, nameof(input));
        return _scoring.Transform(input);
    }

    /// <summary>Saved as the chain of built-ins (the ONNX graph is written to a temporary file only while saving).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _scoring.Save(ctx);

    /// <summary>
    /// Writes the model as an ONNX file for deployment outside ML.NET: input named after <see cref="FeatureColumnName"/>
    /// <c>[N, *InputShape]</c> float32 (N symbolic), outputs <c>Score</c> (and <c>Probability</c>, <c>PredictedLabel</c>
    /// by task; see each transformer), the same graph ML.NET scores with. Written to a temporary file and moved into place.
    /// To export it together with the normalizers before it as one graph, use <see cref="DeepExtensionsOnnx"/>.
    /// The sequence trainers write a graph with symbolic batch and time dimensions instead (see their documentation).
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveAsOnnx(string path) => BuiltInScoringChain.WriteFileAtomically(path, _scoring.Onnx.ExportBytes);

    /// <summary>Writes the ONNX model (see <see cref="SaveAsOnnx(string)"/>) to <paramref name="stream"/>.</summary>
    public void SaveAsOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(_scoring.Onnx.ExportBytes);
    }

    /// <summary>Releases the ONNX Runtime session and deletes any temporary file.</summary>
    public void Dispose()
    {
        _scoring.Dispose();
        GC.SuppressFinalize(this);
    }

    string IOnnxExportableTransformer.DisplayName => $"{GetType().Name}('{FeatureColumnName}')";

    IReadOnlyList<string> IOnnxExportableTransformer.InputColumnNames => [FeatureColumnName];

    IReadOnlyList<string> IOnnxExportableTransformer.OutputColumnNames => Kind switch
    {
        PredictionKind.BinaryClassification => [PredictionHeads.Score, PredictionHeads.Probability, PredictionHeads.PredictedLabel],
        PredictionKind.MulticlassClassification => [PredictionHeads.Score, PredictionHeads.PredictedLabel],
        _ => [PredictionHeads.Score],
    };

    /// <summary>Appends the network and its task head (the nodes of <see cref="SaveAsOnnx(string)"/>'s graph) to a larger graph.</summary>
    void IOnnxExportableTransformer.EmitOnnx(OnnxColumnGraph graph)
    {
        if (Model.Network.Layers.Any(l => l is Embedding || l is RecurrentLayer { Lengths: not null }))
            throw new NotSupportedException(
                $"{GetType().Name}('{FeatureColumnName}') reads variable-length sequences, which {nameof(DeepExtensionsOnnx)} cannot join to the steps before it; " +
                "export the network alone with SaveAsOnnx (symbolic batch and time dimensions).");
        var features = graph.Read(FeatureColumnName);
        int[] shape = [.. Model.InputShape];
        int size = shape.Aggregate(1, (a, b) => a * b);
        if (features.Size != size)
            throw new InvalidOperationException($"The network reads {size} values from column '{FeatureColumnName}'; the exported graph holds {features.Size}.");
        var g = graph.Graph;
        string logits = OnnxExporter.Emit(g, Model.Network, features.Value, shape, flatInput: true);
        string score = g.UniqueName(PredictionHeads.Score);
        switch (Kind)
        {
            case PredictionKind.BinaryClassification:
                string probability = g.UniqueName(PredictionHeads.Probability), label = g.UniqueName(PredictionHeads.PredictedLabel);
                PredictionHeads.EmitBinary(g, logits, score, probability, label);
                graph.Write(PredictionHeads.Score, score, 1);
                graph.Write(PredictionHeads.Probability, probability, 1);
                graph.Write(PredictionHeads.PredictedLabel, label, 1, OnnxElementType.Bool);
                break;
            case PredictionKind.MulticlassClassification:
                int classes = Model.Network.GetOutputShape(shape)[^1];
                string classIndex = g.UniqueName(PredictionHeads.PredictedLabel);
                PredictionHeads.EmitMulticlass(g, logits, classes, Model.ClassNames, score, classIndex);
                graph.Write(PredictionHeads.Score, score, classes);
                graph.Write(PredictionHeads.PredictedLabel, classIndex, 1, OnnxElementType.Int64);
                break;
            default:
                PredictionHeads.EmitRegression(g, logits, score);
                graph.Write(PredictionHeads.Score, score, 1);
                break;
        }
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

    private protected override PredictionKind Kind => PredictionKind.BinaryClassification;
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

    private protected override PredictionKind Kind => PredictionKind.MulticlassClassification;
}

/// <summary>A trained regressor. Output column, as ML.NET's regression trainers: <c>Score</c> (Single).</summary>
public sealed class RegressionNeuralPredictionTransformer : NeuralPredictionTransformer
{
    internal RegressionNeuralPredictionTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType)
        : base(chain, onnx, model, featureColumnName, featureColumnType) { }

    private protected override PredictionKind Kind => PredictionKind.Regression;
}
