using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Scoring;

/// <summary>
/// Builds the chain of ML.NET built-ins that scores a network exported to ONNX and produces ML.NET's output
/// contract for the task (DESIGN.md decision 2; docs/design/mlnet-chain.md):
/// <list type="bullet">
/// <item>binary: <c>ApplyOnnxModel(Score, Probability, PredictedLabel)</c> → unwrap glue;</item>
/// <item>regression: <c>ApplyOnnxModel(Score)</c> → unwrap glue;</item>
/// <item>multiclass: <c>ApplyOnnxModel(Score, PredictedLabel)</c> → unwrap glue (class index) →
/// <c>MapValue</c> (index → the label's key value) → <c>MapValueToKey</c> (with the label's key values in key
/// order, so <c>PredictedLabel</c> gets the label's key type and KeyValues; then <c>ConvertType</c> when the label's key is
/// not backed by UInt32).</item>
/// </list>
/// </summary>
internal static class ScoringChain
{
    /// <summary>Fits the chain for <paramref name="kind"/> on <paramref name="trainSchemaData"/>'s schema (no rows are read).</summary>
    /// <param name="ml">A context to build the built-in transforms with.</param>
    /// <param name="model">The ONNX graph: input named after <paramref name="featureColumnName"/>, outputs from <see cref="PredictionHeads"/>.</param>
    /// <param name="kind">The task.</param>
    /// <param name="trainSchemaData">Data with the training schema.</param>
    /// <param name="featureColumnName">The feature column (the ONNX input).</param>
    /// <param name="labelColumnName">The label column (multiclass: its key values name the classes).</param>
    /// <param name="inputs">Built-ins that prepare the ONNX inputs, and the columns fed to the graph, or null for the feature column alone.</param>
    public static ITransformer Fit(MLContext ml, OnnxModelFile model, PredictionKind kind, IDataView trainSchemaData, string featureColumnName, string labelColumnName,
        ScoringInputs? inputs = null)
    {
        string[] onnxInputs = inputs?.OnnxInputs ?? [featureColumnName];
        return model.WithFile(path =>
        {
            IEstimator<ITransformer> chain = kind switch
            {
                PredictionKind.BinaryClassification =>
                    ml.Transforms.ApplyOnnxModel([PredictionHeads.Score, PredictionHeads.Probability, PredictionHeads.PredictedLabel], onnxInputs, path)
                        .Append(ml.Transforms.CustomMapping<BinaryOnnxOutputs, BinaryScoreColumns>(UnwrapBinaryScores.Map, UnwrapBinaryScores.ContractName)),
                PredictionKind.Regression =>
                    ml.Transforms.ApplyOnnxModel([PredictionHeads.Score], onnxInputs, path)
                        .Append(ml.Transforms.CustomMapping<RegressionOnnxOutputs, RegressionScoreColumns>(UnwrapRegressionScore.Map, UnwrapRegressionScore.ContractName)),
                _ =>
                    ml.Transforms.ApplyOnnxModel([PredictionHeads.Score, PredictionHeads.PredictedLabel], onnxInputs, path)
                        .Append(ml.Transforms.CustomMapping<ClassIndexOnnxOutput, ClassIndexColumn>(UnwrapClassIndex.Map, UnwrapClassIndex.ContractName))
                        .Append(ClassIndexToKey(ml, trainSchemaData.Schema[labelColumnName])),
            };
            if (inputs?.Prepare is { } prepare) chain = prepare.Append(chain);
            if (inputs is { TemporaryColumns.Length: > 0 }) chain = chain.Append(ml.Transforms.DropColumns(inputs.TemporaryColumns));
            return (ITransformer)chain.Fit(trainSchemaData);
        });
    }

    /// <summary>The label's key values as strings, in key order (null when the key has none).</summary>
    public static string[]? KeyValueNames(DataViewSchema.Column label)
    {
        var valuesType = label.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType;
        if (valuesType is null) return null;
        var method = typeof(ScoringChain).GetMethod(nameof(KeyValueNamesOf), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(valuesType.ItemType.RawType);
        return (string[])method.Invoke(null, [label])!;
    }

    private static string[] KeyValueNamesOf<T>(DataViewSchema.Column label)
    {
        VBuffer<T> values = default;
        label.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v?.ToString() ?? "").ToArray();
    }

    private static IEstimator<ITransformer> ClassIndexToKey(MLContext ml, DataViewSchema.Column label)
    {
        var key = (KeyDataViewType)label.Type;
        var valuesType = label.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType;
        int classes = checked((int)key.Count);
        IEstimator<ITransformer> toKey;
        if (valuesType is null)
        {
            // A key without values: the key is class index + 1 (its KeyValues are then the indices).
            var indices = ml.Data.LoadFromEnumerable(Enumerable.Range(0, classes).Select(i => new KeyValueRow<uint> { Value = (uint)i }));
            toKey = ml.Transforms.Conversion.MapValueToKey(PredictionHeads.PredictedLabel, PredictionHeads.PredictedLabel, keyData: indices);
        }
        else
        {
            var method = typeof(ScoringChain).GetMethod(nameof(ClassIndexToKeyValue), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(valuesType.ItemType.RawType);
            toKey = (IEstimator<ITransformer>)method.Invoke(null, [ml, label])!;
        }
        // MapValueToKey makes UInt32 keys; a label key of another raw type (e.g. a TextLoader Byte key) gets its own type
        // back through ConvertType, which keeps the key count and the KeyValues.
        return RawKeyKind(key.RawType) is DataKind kind
            ? toKey.Append(ml.Transforms.Conversion.ConvertType(PredictionHeads.PredictedLabel, PredictionHeads.PredictedLabel, kind))
            : toKey;
    }

    private static DataKind? RawKeyKind(Type raw) =>
        raw == typeof(byte) ? DataKind.Byte : raw == typeof(ushort) ? DataKind.UInt16 : raw == typeof(ulong) ? DataKind.UInt64 : null;

    private static IEstimator<ITransformer> ClassIndexToKeyValue<T>(MLContext ml, DataViewSchema.Column label)
    {
        VBuffer<T> values = default;
        label.GetKeyValues(ref values);
        var keyValues = values.DenseValues().ToArray();
        var lookup = ml.Data.LoadFromEnumerable(keyValues.Select((v, i) => new IndexedKeyValueRow<T> { Index = (uint)i, Value = v }));
        var keyData = ml.Data.LoadFromEnumerable(keyValues.Select(v => new KeyValueRow<T> { Value = v }));
        return ml.Transforms.Conversion.MapValue(PredictionHeads.PredictedLabel, lookup, lookup.Schema[nameof(IndexedKeyValueRow<T>.Index)],
                lookup.Schema[nameof(IndexedKeyValueRow<T>.Value)], PredictionHeads.PredictedLabel)
            .Append(ml.Transforms.Conversion.MapValueToKey(PredictionHeads.PredictedLabel, PredictionHeads.PredictedLabel, keyData: keyData));
    }

    /// <summary>How a chain feeds a graph with several or prepared inputs.</summary>
    /// <param name="Prepare">Built-ins (and stateless glue) run before <c>ApplyOnnxModel</c>, or null.</param>
    /// <param name="OnnxInputs">The columns fed to the graph, named as its inputs.</param>
    /// <param name="TemporaryColumns">Columns made by <paramref name="Prepare"/> and dropped at the end of the chain.</param>
    internal sealed record ScoringInputs(IEstimator<ITransformer>? Prepare, string[] OnnxInputs, string[] TemporaryColumns);

    public sealed class KeyValueRow<T>
    {
        public T Value { get; set; } = default!;
    }

    public sealed class IndexedKeyValueRow<T>
    {
        public uint Index { get; set; }

        public T Value { get; set; } = default!;
    }
}
