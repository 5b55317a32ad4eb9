using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Data;

/// <summary>
/// Reads an <see cref="IDataView"/> into an engine <see cref="InMemoryDataset"/>, checking every value on the
/// way: bad input fails with an error that names the column, the row and the problem.
/// </summary>
internal static class DataViewPacker
{
    /// <summary>The columns a trainer reads.</summary>
    internal sealed record Columns(string Feature, string Label, LabelKind LabelKind, string? Weight);

    /// <summary>Checks that the schema has the columns with usable types; returns the feature vector length and, for key labels, the class count.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing.</exception>
    /// <exception cref="ArgumentException">A column has the wrong type or a variable-size vector.</exception>
    public static (int FeatureLength, int ClassCount) CheckSchema(DataViewSchema schema, Columns columns, string what = "training data")
    {
        int length = CheckFeature(schema, columns, what);
        return (length, CheckTarget(schema, columns, what));
    }

    /// <summary>Checks that the feature column exists and is Single or a known-size vector of Single; returns its length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing.</exception>
    /// <exception cref="ArgumentException">The column has the wrong type or a variable-size vector.</exception>
    public static int CheckFeature(DataViewSchema schema, Columns columns, string what = "training data")
    {
        var feature = Find(schema, columns.Feature, "feature", what);
        int length = feature.Type switch
        {
            NumberDataViewType t when t.RawType == typeof(float) => 1,
            VectorDataViewType { ItemType.RawType: var r, Size: > 0 } v when r == typeof(float) => v.Size,
            VectorDataViewType { ItemType.RawType: var r } when r == typeof(float) =>
                throw new ArgumentException($"Feature column '{columns.Feature}' of the {what} is a variable-size vector; a known-size vector of Single is required. Use a transform that fixes its size (e.g. ResizeImages + ExtractPixels, or Concatenate of fixed columns)."),
            _ => throw new ArgumentException($"Feature column '{columns.Feature}' of the {what} has type {feature.Type}; expected Single or a known-size vector of Single. Convert it with mlContext.Transforms.Conversion.ConvertType or Concatenate."),
        };
        return length;
    }

    /// <summary>
    /// Checks the label column (and the example weight column, if any); returns the class count for key labels (else 0).
    /// Key labels may have any raw type (Byte, UInt16, UInt32 as <c>MapValueToKey</c> makes them, UInt64).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing.</exception>
    /// <exception cref="ArgumentException">A column has the wrong type.</exception>
    public static int CheckTarget(DataViewSchema schema, Columns columns, string what = "training data")
    {
        var label = Find(schema, columns.Label, "label", what);
        int classes = 0;
        switch (columns.LabelKind)
        {
            case LabelKind.Boolean when label.Type != BooleanDataViewType.Instance:
                throw new ArgumentException($"Label column '{columns.Label}' of the {what} has type {label.Type}; binary classification expects Boolean.");
            case LabelKind.Key:
                if (label.Type is not KeyDataViewType key)
                    throw new ArgumentException($"Label column '{columns.Label}' of the {what} has type {label.Type}; multiclass classification expects a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{columns.Label}\") to the pipeline.");
                if (key.Count < 1 || key.Count > int.MaxValue)
                    throw new ArgumentException($"Label column '{columns.Label}' has a key type with {key.Count} values; a known, positive number of classes is required.");
                classes = (int)key.Count;
                break;
            case LabelKind.Single when label.Type != NumberDataViewType.Single:
                throw new ArgumentException($"Label column '{columns.Label}' of the {what} has type {label.Type}; regression expects Single.");
        }

        if (columns.Weight is { } weightName)
        {
            var weight = Find(schema, weightName, "example weight", what);
            if (weight.Type != NumberDataViewType.Single)
                throw new ArgumentException($"Example weight column '{weightName}' of the {what} has type {weight.Type}; expected Single.");
        }
        return classes;
    }

    /// <summary>
    /// Reads every row. Features must be finite; labels valid for their kind; weights finite and ≥ 0, not all 0.
    /// </summary>
    /// <exception cref="InvalidOperationException">A value is invalid (names the column, the 0-based row and the problem), the data has no rows, or every weight is 0.</exception>
    public static InMemoryDataset Pack(IDataView data, Columns columns, CancellationToken cancellationToken = default, string what = "training data")
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = CheckFeature(data.Schema, columns, what);
        var featureCol = data.Schema[columns.Feature];
        long? rowCount = data.GetRowCount();
        var features = new List<float>(rowCount is long c && c * length < int.MaxValue ? (int)(c * length) : 0);
        var (targets, weights) = ReadRows(data, columns, [featureCol], cursor =>
        {
            var readFeatures = FeatureReader(cursor, featureCol, length, what);
            return row =>
            {
                int start = features.Count;
                readFeatures(features, row);
                for (int j = start; j < features.Count; j++)
                {
                    float v = features[j];
                    if (!float.IsFinite(v))
                        throw new InvalidOperationException(
                            $"Feature column '{columns.Feature}' of the {what} holds {Describe(v)} at row {row}{(length > 1 ? $", slot {j - start}" : "")}. " +
                            "Replace missing values (mlContext.Transforms.ReplaceMissingValues) or filter such rows before training.");
                }
            };
        }, cancellationToken, what);
        return new InMemoryDataset(features.ToArray(), [length], targets, 1, weights);
    }

    /// <summary>
    /// Reads every row: the label and weight (checked: labels valid for their kind, weights finite and ≥ 0 and not all 0),
    /// and the features through the reader <paramref name="createFeatureReader"/> makes for the cursor (called once per
    /// row with the 0-based row index; it checks its own values).
    /// </summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The label and weight columns (the feature column is not read here).</param>
    /// <param name="featureColumns">The columns the feature reader needs (opened on the cursor).</param>
    /// <param name="createFeatureReader">Creates the per-row feature reader from the cursor.</param>
    /// <param name="cancellationToken">Checked every 1,024 rows.</param>
    /// <param name="what">"training data" or "validation data", for messages.</param>
    /// <returns>One target per row, and the weights (null without a weight column).</returns>
    /// <exception cref="InvalidOperationException">A value is invalid, the data has no rows, or every weight is 0.</exception>
    public static (float[] Targets, float[]? Weights) ReadRows(IDataView data, Columns columns, IEnumerable<DataViewSchema.Column> featureColumns,
        Func<DataViewRowCursor, Action<long>> createFeatureReader, CancellationToken cancellationToken, string what)
    {
        ArgumentNullException.ThrowIfNull(data);
        int classes = CheckTarget(data.Schema, columns, what);
        var labelCol = data.Schema[columns.Label];
        DataViewSchema.Column? weightCol = columns.Weight is null ? null : data.Schema[columns.Weight];
        var needed = featureColumns.Append(labelCol).Concat(weightCol is { } w ? [w] : []).Distinct().ToArray();

        var targets = new List<float>();
        List<float>? weights = weightCol is null ? null : new List<float>();
        using var cursor = data.GetRowCursor(needed);
        var readFeatures = createFeatureReader(cursor);
        var readLabel = LabelReader(cursor, labelCol, columns.LabelKind, classes);
        var readWeight = weightCol is { } wc ? cursor.GetGetter<float>(wc) : null;
        long row = -1;
        float weightValue = 0;
        while (cursor.MoveNext())
        {
            row++;
            if ((row & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            readFeatures(row);
            targets.Add(readLabel(row));
            if (readWeight is not null)
            {
                readWeight(ref weightValue);
                if (!float.IsFinite(weightValue) || weightValue < 0)
                    throw new InvalidOperationException($"Example weight column '{columns.Weight}' of the {what} holds {Describe(weightValue)} at row {row}; weights must be finite and >= 0.");
                weights!.Add(weightValue);
            }
        }
        if (row < 0)
            throw new InvalidOperationException($"The {what} has no rows.");
        if (weights is not null && !weights.Exists(w => w > 0))
            throw new InvalidOperationException($"Example weight column '{columns.Weight}' of the {what} is 0 on every row; at least one row needs a positive weight.");
        return (targets.ToArray(), weights?.ToArray());
    }

    /// <summary>The column <paramref name="name"/>, or an error listing the columns the data has.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        return schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(name,
            $"The {what} has no {role} column '{name}'. Its columns are: {SchemaColumns.List(schema)}.");
    }

    // Appends one row's features. A vector whose length differs from its column's declared size (an IDataView built
    // from objects can deliver one) is an error: copying it would leave the previous row's values in the tail.
    private static Action<List<float>, long> FeatureReader(DataViewRowCursor cursor, DataViewSchema.Column column, int length, string what)
    {
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<float>>(column);
            VBuffer<float> buffer = default;
            var dense = new float[length];
            return (list, row) =>
            {
                getter(ref buffer);
                if (buffer.Length != length)
                    throw new InvalidOperationException(
                        $"Feature column '{column.Name}' of the {what} has {buffer.Length} values at row {row}; its type {column.Type} declares {length}. " +
                        "Every row must have the declared number of values.");
                buffer.CopyTo(dense);
                list.AddRange(dense);
            };
        }
        var scalar = cursor.GetGetter<float>(column);
        float value = 0;
        return (list, _) =>
        {
            scalar(ref value);
            list.Add(value);
        };
    }

    private static Func<long, float> LabelReader(DataViewRowCursor cursor, DataViewSchema.Column column, LabelKind kind, int classes)
    {
        string name = column.Name;
        switch (kind)
        {
            case LabelKind.Boolean:
                var b = cursor.GetGetter<bool>(column);
                bool bv = false;
                return _ => { b(ref bv); return bv ? 1f : 0f; };
            case LabelKind.Key:
                var k = KeyGetter(cursor, column);
                return row =>
                {
                    ulong kv = k();
                    if (kv == 0)
                        throw new InvalidOperationException($"Label column '{name}' is missing (key value 0) at row {row}. Every training row needs a label; filter rows with missing labels first.");
                    if (kv > (ulong)classes)
                        throw new InvalidOperationException($"Label column '{name}' holds key {kv} at row {row}, outside the key range 1..{classes}.");
                    return kv - 1;
                };
            default:
                var s = cursor.GetGetter<float>(column);
                float sv = 0;
                return row =>
                {
                    s(ref sv);
                    if (!float.IsFinite(sv))
                        throw new InvalidOperationException($"Label column '{name}' holds {Describe(sv)} at row {row}; regression labels must be finite.");
                    return sv;
                };
        }
    }

    // Reads a key of any raw type (Byte, UInt16, UInt32, UInt64: a TextLoader key column or ConvertType can make each)
    // as its UInt64 value.
    private static Func<ulong> KeyGetter(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var raw = ((KeyDataViewType)column.Type).RawType;
        if (raw == typeof(uint)) return Widen<uint>(cursor, column, v => v);
        if (raw == typeof(byte)) return Widen<byte>(cursor, column, v => v);
        if (raw == typeof(ushort)) return Widen<ushort>(cursor, column, v => v);
        if (raw == typeof(ulong)) return Widen<ulong>(cursor, column, v => v);
        throw new ArgumentException($"Label column '{column.Name}' has key type {column.Type}, whose values cannot be read.");
    }

    private static Func<ulong> Widen<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, ulong> widen)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return widen(value);
        };
    }

    /// <summary>A value for an error message: "NaN (a missing value)", "+infinity", or the number.</summary>
    public static string Describe(float v) => float.IsNaN(v) ? "NaN (a missing value)" : float.IsInfinity(v) ? (v > 0 ? "+infinity" : "-infinity") : v.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
