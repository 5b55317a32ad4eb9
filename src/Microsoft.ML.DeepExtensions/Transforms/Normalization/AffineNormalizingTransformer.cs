using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Export;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Scoring;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// A fitted normalizer: the per-slot or per-channel affine map <c>y = (x − shift)·scale + offset</c>
/// (<see cref="Map"/>) applied to a vector column. It scores, and saves, through a chain of ML.NET built-ins (the
/// map's ONNX graph in ML.NET's <c>OnnxTransformer</c>, a column copy, and a stateless finiteness check), so a model
/// saved with <c>mlContext.Model.Save</c> loads with a plain <c>mlContext.Model.Load</c> and scores identically.
/// </summary>
/// <remarks>
/// <para>The output column has the input column's type, dimensions and slot names.</para>
/// <para>A NaN or infinite input value fails scoring with an <see cref="InvalidOperationException"/>; from this object
/// the message names the column, the row and the slot; from a loaded model, the slot (see docs/design/normalization.md).</para>
/// <para>Dispose it when done: the ONNX Runtime session behind the chain holds native memory.</para>
/// </remarks>
public abstract class AffineNormalizingTransformer : ITransformer, IDisposable, IOnnxExportableTransformer
{
    private readonly BuiltInScoringChain _scoring;
    private readonly NormalizerLayout _layout;
    private readonly string _transformName;

    private protected AffineNormalizingTransformer(string transformName, IDataView fitData, DataViewSchema.Column inputColumn, string outputColumnName,
        NormalizerLayout layout, AffineNormalization map)
    {
        _transformName = transformName;
        _layout = layout;
        Map = map;
        InputColumnName = inputColumn.Name;
        OutputColumnName = outputColumnName;
        ColumnType = (VectorDataViewType)inputColumn.Type;
        var slotNames = SlotNames(inputColumn);
        var onnx = new OnnxModelFile(ScoringGraph(slotNames).ToBytes());
        _scoring = BuiltInScoringChain.Create(this, onnx, path =>
        {
            var ml = new MLContext();
            return ml.Transforms.CopyColumns(NormalizerColumns.Input, InputColumnName)
                .Append(ml.Transforms.CustomMapping<NormalizerInputValues, NormalizerInputChecked>(CheckFiniteNormalizerInput.Map, CheckFiniteNormalizerInput.ContractName))
                .Append(ml.Transforms.ApplyOnnxModel([OutputColumnName], [NormalizerColumns.Input, NormalizerColumns.Checked], path))
                .Append(ml.Transforms.DropColumns(NormalizerColumns.Input, NormalizerColumns.Checked))
                .Fit(fitData);
        });
    }

    /// <summary>The column read.</summary>
    public string InputColumnName { get; }

    /// <summary>The column written (same type, dimensions and slot names as the input).</summary>
    public string OutputColumnName { get; }

    /// <summary>The input column's type: a known-size vector of Single, with its dimensions.</summary>
    public VectorDataViewType ColumnType { get; }

    /// <summary>Statistics per slot or per channel.</summary>
    public NormalizationScope Scope => _layout.Scope;

    /// <summary>The number of statistics: the column's size per slot, its channel count per channel.</summary>
    public int FeatureCount => _layout.FeatureCount;

    /// <summary>The fitted map, as a layer of the engine (its <c>Forward</c> computes what the ONNX graph computes).</summary>
    public AffineNormalization Map { get; }

    /// <summary>True.</summary>
    public bool IsRowToRowMapper => true;

    string IOnnxExportableTransformer.DisplayName => $"{_transformName}('{OutputColumnName}')";

    IReadOnlyList<string> IOnnxExportableTransformer.InputColumnNames => [InputColumnName];

    IReadOnlyList<string> IOnnxExportableTransformer.OutputColumnNames => [OutputColumnName];

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing.</exception>
    /// <exception cref="ArgumentException">The input column is not a vector of Single of the fitted size.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return _scoring.GetOutputSchema(inputSchema);
    }

    /// <inheritdoc />
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema);
        return NonFiniteInputGuard.Wrap(_scoring.GetRowToRowMapper(inputSchema), InputColumnName, _transformName);
    }

    /// <summary>Normalizes the column of <paramref name="input"/> (lazily, like every ML.NET transformer).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing.</exception>
    /// <exception cref="ArgumentException">The input column is not a vector of Single of the fitted size.</exception>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input.Schema);
        return _scoring.Transform(NonFiniteInputGuard.Wrap(input, InputColumnName, _transformName));
    }

    /// <summary>Saved as the chain of built-ins (the ONNX graph is written to a temporary file only while saving).</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => _scoring.Save(ctx);

    /// <summary>
    /// Writes the normalizer as an ONNX file for use outside ML.NET: input named after <see cref="InputColumnName"/>,
    /// float32 <c>[N, D]</c>; output named after <see cref="OutputColumnName"/> (<c>{name}.output</c> when both are the
    /// same column), float32 <c>[N, D]</c>. To export it together with a trainer as one graph, use <see cref="DeepExtensionsOnnx"/>.
    /// </summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public void SaveAsOnnx(string path) => DeepExtensionsOnnx.BuildGraph(this, InputSchema()).Save(path);

    /// <summary>Writes the ONNX model (see <see cref="SaveAsOnnx(string)"/>) to <paramref name="stream"/>.</summary>
    public void SaveAsOnnx(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        DeepExtensionsOnnx.BuildGraph(this, InputSchema()).Save(stream);
    }

    void IOnnxExportableTransformer.EmitOnnx(OnnxColumnGraph graph)
    {
        var x = graph.Read(InputColumnName);
        if (x.Size != _layout.SlotCount)
            throw new InvalidOperationException($"{_transformName} was fitted on {_layout.SlotCount} values per row; column '{InputColumnName}' has {x.Size} in the exported graph.");
        var g = graph.Graph;
        string y = _layout.GroupLength == 1
            ? Map.EmitOnnx(g, x.Value, _layout.MapShape)
            : OnnxEmit.ReshapeBatch(g, Map.EmitOnnx(g, OnnxEmit.ReshapeBatch(g, x.Value, _layout.MapShape), _layout.MapShape), [_layout.SlotCount]);
        graph.Write(OutputColumnName, y, _layout.SlotCount);
    }

    /// <summary>Releases the ONNX Runtime session and deletes any temporary file.</summary>
    public void Dispose()
    {
        _scoring.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The graph inside the saved chain. ML.NET's <c>OnnxTransformer</c> feeds one row at a time with the shape the graph
    /// declares, and gives an output column the declared dimensions; so this graph has no batch dimension: input
    /// <see cref="NormalizerColumns.Input"/> <c>[D]</c>, the check's <see cref="NormalizerColumns.Checked"/> <c>[N, 1]</c>
    /// (unused by the nodes), output <see cref="OutputColumnName"/> with exactly the input column's dimensions, e.g.
    /// <c>[3, 32, 32]</c>, and slot names.
    /// </summary>
    private OnnxGraphBuilder ScoringGraph(IReadOnlyList<string>? slotNames)
    {
        var g = new OnnxGraphBuilder { DocString = $"Microsoft.ML.DeepExtensions {_transformName}: {Map.Name} per {_layout.FeatureWord}, column '{OutputColumnName}' (ML.NET scoring form, one row)." };
        string x = g.AddInput(NormalizerColumns.Input, [_layout.SlotCount], batchDimension: null);
        g.AddInput(NormalizerColumns.Checked, [1]);
        g.AddOutput(OutputColumnName, _layout.Dimensions, batchDimension: null);
        string y = Map.EmitOnnx(g, OnnxEmit.ReshapeBatch(g, x, _layout.MapShape), _layout.MapShape);
        var dims = Array.ConvertAll(_layout.Dimensions, d => (long)d);
        g.AddNode("Reshape", [y, g.AddInt64Initializer("output_shape", dims)], [OutputColumnName]);
        if (slotNames is not null) OnnxEmit.SlotNames(g, OutputColumnName, slotNames);
        return g;
    }

    private DataViewSchema InputSchema()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn(InputColumnName, ColumnType);
        return builder.ToSchema();
    }

    private void CheckInput(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var column = schema.GetColumnOrNull(InputColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"The input has no column '{InputColumnName}', which {_transformName} normalizes.");
        var type = NormalizerLayout.CheckType(InputColumnName, column.Type, _transformName);
        if (type.Size != _layout.SlotCount)
            throw new ArgumentException($"Column '{InputColumnName}' has {type.Size} values; {_transformName} was fitted on {_layout.SlotCount}.", nameof(schema));
    }

    private static IReadOnlyList<string>? SlotNames(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("SlotNames") is not { Type: VectorDataViewType { ItemType: TextDataViewType } }) return null;
        VBuffer<ReadOnlyMemory<char>> names = default;
        column.Annotations.GetValue("SlotNames", ref names);
        var dense = names.DenseValues().Select(n => n.ToString()).ToArray();
        // The names become the keys of an ONNX LabelEncoder, which must be distinct.
        return dense.Length == ((VectorDataViewType)column.Type).Size && dense.Distinct(StringComparer.Ordinal).Count() == dense.Length ? dense : null;
    }
}
