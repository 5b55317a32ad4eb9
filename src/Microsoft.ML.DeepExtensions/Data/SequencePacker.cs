using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Data;

/// <summary>How a sequence trainer reads its feature column.</summary>
internal enum SequenceInputKind
{
    /// <summary>A known-size vector of Single holding <c>T × F</c> values, every sequence full length.</summary>
    Fixed,

    /// <summary>A vector of Single (known or variable size) whose sequences have their own lengths: from a lengths column, or the vector's size.</summary>
    Padded,

    /// <summary>A vector of keys (token indices), padded with key 0; lengths found from trailing padding.</summary>
    Tokens,
}

/// <summary>What the schema says about a sequence feature column (before any row is read).</summary>
/// <param name="Kind">How the column is read.</param>
/// <param name="Features">Values per step <c>F</c> (1 for tokens).</param>
/// <param name="KnownSize">The column's vector size, or 0 for a variable-size vector.</param>
/// <param name="KeyCount">Tokens: the key type's count <c>K</c> (keys 1..K; 0 = missing); else 0.</param>
/// <param name="LengthColumn">The lengths column, or null.</param>
/// <param name="Vocabulary">Tokens: the words of keys 1..K (the key type's text KeyValues); else null.</param>
internal sealed record SequenceColumnInfo(SequenceInputKind Kind, int Features, int KnownSize, int KeyCount, string? LengthColumn, IReadOnlyList<string>? Vocabulary = null)
{
    /// <summary>True for a variable-size feature vector.</summary>
    public bool IsVariableSize => KnownSize == 0;
}

/// <summary>
/// Reads a sequence feature column into padded engine data: every example becomes <c>T</c> steps of <c>F</c> values
/// (<c>[T, F]</c>; <c>[T]</c> for token keys), padded with zeros at the end, plus its valid length for
/// <see cref="SequenceInputKind.Padded"/> input. Errors name the column and the row, as <see cref="DataViewPacker"/>'s.
/// </summary>
/// <remarks>
/// <para><b>Steps.</b> <c>T</c> is the longest sequence of the data (for <see cref="SequenceInputKind.Fixed"/> input, the
/// column's steps), capped by the trainer's maximum; longer sequences keep their first <c>T</c> steps (their length
/// becomes <c>T</c>). Validation data is padded or truncated to the training data's <c>T</c>.</para>
/// <para><b>Lengths.</b> From the lengths column when there is one (a whole number in <c>[0, steps of the row]</c>),
/// else the row's vector size divided by <c>F</c> (which must divide it).</para>
/// <para><b>Batches.</b> Padded and token data carry their lengths (for tokens: the row's number of keys, which the
/// embedding refines to the last non-padding token) and are cut to the longest sequence of each batch
/// (<see cref="InMemoryDataset.TrimToLongest"/>).</para>
/// <para><b>Tokens.</b> Key values become float indices: key <c>k</c> (1..K) is index <c>k</c> and a missing key
/// (0, e.g. a word not in the vocabulary) is index 0, the padding index; the network's embedding has <c>K + 1</c>
/// rows.</para>
/// </remarks>
internal static class SequencePacker
{
    /// <summary>The options a sequence trainer reads its column with.</summary>
    /// <param name="Feature">The feature column.</param>
    /// <param name="FeaturesPerStep">Values per step, or null (the column's dimensions, or 1).</param>
    /// <param name="TimeSteps">Steps of a known-size column, or null.</param>
    /// <param name="LengthColumn">A numeric column of valid lengths, or null.</param>
    /// <param name="MaxSteps">The most steps a sequence keeps, or null for no cap.</param>
    internal sealed record Spec(string Feature, int? FeaturesPerStep, int? TimeSteps, string? LengthColumn, int? MaxSteps);

    /// <summary>Checks the feature (and lengths) column of <paramref name="schema"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing.</exception>
    /// <exception cref="ArgumentException">A column has an unusable type, or the options do not fit its size.</exception>
    public static SequenceColumnInfo Check(DataViewSchema schema, Spec spec, string what = "training data")
    {
        var column = DataViewPacker.Find(schema, spec.Feature, "feature", what);
        if (column.Type is not VectorDataViewType vector)
            throw new ArgumentException(
                $"Feature column '{spec.Feature}' of the {what} has type {column.Type}; a sequence trainer expects a vector: Single values of T time steps × F features " +
                "(known or variable size), or keys (token indices, e.g. from TokenizeIntoWords + MapValueToKey).");
        if (vector.ItemType is KeyDataViewType key)
        {
            if (key.RawType != typeof(uint))
                throw new ArgumentException($"Feature column '{spec.Feature}' of the {what} holds keys of {key.RawType.Name}; token keys must be UInt32 (as MapValueToKey makes them).");
            if (key.Count < 1 || key.Count >= int.MaxValue)
                throw new ArgumentException($"Feature column '{spec.Feature}' of the {what} has a key type with {key.Count} values; a known vocabulary size is required.");
            if (spec.FeaturesPerStep is int f && f != 1)
                throw new ArgumentException($"FeaturesPerStep is {f}, but feature column '{spec.Feature}' holds token keys (one per step).", "FeaturesPerStep");
            if (spec.TimeSteps is not null)
                throw new ArgumentException($"TimeSteps applies to Single vectors; feature column '{spec.Feature}' holds token keys: use MaxSequenceLength to cap their number.", "TimeSteps");
            if (spec.LengthColumn is not null)
                throw new ArgumentException($"LengthColumnName applies to Single vectors; token sequences (feature column '{spec.Feature}') end at their last token that is not key 0 (missing).", "LengthColumnName");
            var valuesType = column.Annotations.Schema.GetColumnOrNull("KeyValues")?.Type as VectorDataViewType;
            if (valuesType?.ItemType is not TextDataViewType)
                throw new ArgumentException(
                    $"Feature column '{spec.Feature}' of the {what} holds keys without text key values; token keys must name words (e.g. MapValueToKey after TokenizeIntoWords), " +
                    "because the scoring graph looks the words up.");
            VBuffer<ReadOnlyMemory<char>> words = default;
            column.GetKeyValues(ref words);
            return new SequenceColumnInfo(SequenceInputKind.Tokens, 1, vector.Size, (int)key.Count, null, words.DenseValues().Select(w => w.ToString()).ToArray());
        }
        if (vector.ItemType.RawType != typeof(float))
            throw new ArgumentException($"Feature column '{spec.Feature}' of the {what} has type {column.Type}; expected a vector of Single or of keys. Convert it with mlContext.Transforms.Conversion.ConvertType.");

        int features;
        if (vector.Size > 0)
        {
            var dims = vector.Dimensions;
            features = spec.FeaturesPerStep
                ?? (spec.TimeSteps is int t ? (t > 0 && vector.Size % t == 0 ? vector.Size / t : throw new ArgumentException(
                        $"TimeSteps is {t}, but feature column '{spec.Feature}' has {vector.Size} values, not a whole number of steps.", "TimeSteps"))
                    : dims.Length == 2 ? dims[1] : 1);
            if (features < 1 || vector.Size % features != 0)
                throw new ArgumentException($"FeaturesPerStep is {features}, but feature column '{spec.Feature}' has {vector.Size} values, not a whole number of steps.", "FeaturesPerStep");
            if (spec.TimeSteps is int steps && steps * features != vector.Size)
                throw new ArgumentException($"TimeSteps × FeaturesPerStep is {steps} × {features}, but feature column '{spec.Feature}' has {vector.Size} values.", "TimeSteps");
        }
        else
        {
            if (spec.TimeSteps is not null)
                throw new ArgumentException($"TimeSteps applies to known-size vectors; feature column '{spec.Feature}' is a variable-size vector whose steps are its size / FeaturesPerStep. Use MaxSequenceLength to cap them.", "TimeSteps");
            features = spec.FeaturesPerStep ?? 1;
        }

        if (spec.LengthColumn is { } lengthName)
        {
            var lengths = DataViewPacker.Find(schema, lengthName, "sequence length", what);
            if (lengths.Type is not NumberDataViewType)
                throw new ArgumentException($"Sequence length column '{lengthName}' of the {what} has type {lengths.Type}; expected a number (e.g. Single or Int32).");
        }
        var kind = vector.Size > 0 && spec.LengthColumn is null ? SequenceInputKind.Fixed : SequenceInputKind.Padded;
        return new SequenceColumnInfo(kind, features, vector.Size, 0, spec.LengthColumn);
    }

    /// <summary>Reads every row into a padded data set (see the class remarks).</summary>
    /// <param name="data">The data.</param>
    /// <param name="columns">The label and weight columns.</param>
    /// <param name="spec">The sequence options.</param>
    /// <param name="steps">The steps to pad or truncate to (the training data's, for validation data), or null for the longest sequence (capped by <see cref="Spec.MaxSteps"/>).</param>
    /// <param name="cancellationToken">Checked every 1,024 rows.</param>
    /// <param name="what">"training data" or "validation data", for messages.</param>
    /// <returns>The data set (features <c>[T, F]</c>, or <c>[T]</c> for tokens; lengths for padded input) and the column information.</returns>
    /// <exception cref="InvalidOperationException">A value is invalid (non-finite feature, a lengths value that is not a whole number in range, a size that is not a whole number of steps), the data has no rows, or every sequence is empty.</exception>
    public static (InMemoryDataset Data, SequenceColumnInfo Info) Pack(IDataView data, DataViewPacker.Columns columns, Spec spec, int? steps,
        CancellationToken cancellationToken = default, string what = "training data")
    {
        ArgumentNullException.ThrowIfNull(data);
        var info = Check(data.Schema, spec, what);
        var featureCol = data.Schema[spec.Feature];
        DataViewSchema.Column? lengthCol = spec.LengthColumn is null ? null : data.Schema[spec.LengthColumn];
        int f = info.Features;
        var rows = new List<float[]>();
        var lengths = new List<int>();
        var (targets, weights) = DataViewPacker.ReadRows(data, columns, lengthCol is { } lc ? [featureCol, lc] : [featureCol], cursor =>
        {
            var readValues = ValueReader(cursor, featureCol, info.Kind == SequenceInputKind.Tokens);
            var readLength = lengthCol is { } c ? LengthReader(cursor, c) : null;
            return row =>
            {
                float[] values = readValues();
                if (info.Kind != SequenceInputKind.Tokens)
                    for (int j = 0; j < values.Length; j++)
                        if (!float.IsFinite(values[j]))
                            throw new InvalidOperationException(
                                $"Feature column '{spec.Feature}' of the {what} holds {DataViewPacker.Describe(values[j])} at row {row}, slot {j}. " +
                                "Replace missing values (mlContext.Transforms.ReplaceMissingValues) or filter such rows before training.");
                if (values.Length % f != 0)
                    throw new InvalidOperationException(
                        $"Feature column '{spec.Feature}' of the {what} holds {values.Length} values at row {row}: not a whole number of steps of {f} features (FeaturesPerStep).");
                int rowSteps = values.Length / f, length = rowSteps;
                if (readLength is not null)
                {
                    double l = readLength();
                    if (!(l >= 0 && l <= rowSteps && l == Math.Floor(l)))
                        throw new InvalidOperationException(
                            $"Sequence length column '{spec.LengthColumn}' of the {what} holds {l} at row {row}; expected a whole number in [0, {rowSteps}] (the steps of feature column '{spec.Feature}' in that row).");
                    length = (int)l;
                }
                rows.Add(values);
                lengths.Add(length);
            };
        }, cancellationToken, what);

        int t = steps ?? ResolveSteps(info, lengths, rows, spec.MaxSteps, what);
        int rowLength = t * f;
        var features = new float[checked(rows.Count * rowLength)];
        bool padded = info.Kind == SequenceInputKind.Padded;
        var valid = info.Kind == SequenceInputKind.Fixed ? null : new int[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            int keep = Math.Min(padded ? lengths[i] : rows[i].Length / f, t);
            rows[i].AsSpan(0, keep * f).CopyTo(features.AsSpan(i * rowLength));
            if (valid is not null) valid[i] = keep;
        }
        int[] shape = info.Kind == SequenceInputKind.Tokens ? [t] : [t, f];
        return (new InMemoryDataset(features, shape, targets, 1, weights, valid) { TrimToLongest = valid is not null }, info);
    }

    private static int ResolveSteps(SequenceColumnInfo info, List<int> lengths, List<float[]> rows, int? maxSteps, string what)
    {
        int longest = 0;
        for (int i = 0; i < rows.Count; i++)
            longest = Math.Max(longest, info.Kind == SequenceInputKind.Padded ? lengths[i] : rows[i].Length / info.Features);
        if (longest == 0)
            throw new InvalidOperationException($"Every sequence of the {what} is empty: there is nothing to learn from.");
        return maxSteps is int cap ? Math.Min(cap, longest) : longest;
    }

    private static Func<float[]> ValueReader(DataViewRowCursor cursor, DataViewSchema.Column column, bool keys)
    {
        if (keys)
        {
            var keyGetter = cursor.GetGetter<VBuffer<uint>>(column);
            VBuffer<uint> keyBuffer = default;
            return () =>
            {
                keyGetter(ref keyBuffer);
                var values = new float[keyBuffer.Length];
                int j = 0;
                foreach (uint key in keyBuffer.DenseValues()) values[j++] = key;
                return values;
            };
        }
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        return () =>
        {
            getter(ref buffer);
            var values = new float[buffer.Length];
            buffer.CopyTo(values);
            return values;
        };
    }

    private static Func<double> LengthReader(DataViewRowCursor cursor, DataViewSchema.Column column) => column.Type.RawType switch
    {
        var t when t == typeof(float) => Read<float>(cursor, column, v => v),
        var t when t == typeof(double) => Read<double>(cursor, column, v => v),
        var t when t == typeof(int) => Read<int>(cursor, column, v => v),
        var t when t == typeof(long) => Read<long>(cursor, column, v => v),
        var t when t == typeof(uint) => Read<uint>(cursor, column, v => v),
        var t when t == typeof(ulong) => Read<ulong>(cursor, column, v => v),
        var t when t == typeof(short) => Read<short>(cursor, column, v => v),
        var t when t == typeof(ushort) => Read<ushort>(cursor, column, v => v),
        var t when t == typeof(sbyte) => Read<sbyte>(cursor, column, v => v),
        var t when t == typeof(byte) => Read<byte>(cursor, column, v => v),
        _ => throw new ArgumentException($"Sequence length column '{column.Name}' has type {column.Type}; expected a number."),
    };

    private static Func<double> Read<T>(DataViewRowCursor cursor, DataViewSchema.Column column, Func<T, double> convert)
    {
        var getter = cursor.GetGetter<T>(column);
        T value = default!;
        return () =>
        {
            getter(ref value);
            return convert(value);
        };
    }
}
