using Microsoft.ML.DeepExtensions.Data;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>Schema checks shared by the normalizer estimators.</summary>
internal static class NormalizerSchema
{
    /// <summary>The input column of <paramref name="schema"/> named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">There is none; the message lists the columns.</exception>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string transform) =>
        schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema),
            $"{transform}: the input has no column '{name}'. Its columns are: {SchemaColumns.List(schema)}.");

    /// <summary>
    /// The output schema shape: the input's, plus the output column with the input column's shape (derived with a
    /// built-in column copy, since <c>SchemaShape.Column</c> cannot be constructed outside ML.NET).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing.</exception>
    /// <exception cref="ArgumentException">The input column is not a known-size vector of Single.</exception>
    public static SchemaShape OutputSchema(SchemaShape inputSchema, NormalizerOptionsBase options, string transform)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        options.Validate();
        string name = options.SourceColumnName;
        var column = inputSchema.FirstOrDefault(c => c.Name == name);
        if (column.Name != name)
            throw new ArgumentOutOfRangeException(nameof(inputSchema), $"{transform}: the input has no column '{name}'.");
        if (column.ItemType != NumberDataViewType.Single || column.Kind != SchemaShape.Column.VectorKind.Vector)
            throw new ArgumentException($"Column '{name}' is {column.Kind} of {column.ItemType}; {transform} needs a known-size vector of Single.", nameof(inputSchema));
        return new MLContext().Transforms.CopyColumns(options.OutputColumnName, name).GetOutputSchema(inputSchema);
    }

    /// <summary>Checks that given statistics have one value per slot or channel of <paramref name="layout"/>.</summary>
    /// <exception cref="ArgumentException">They do not; the message suggests the other scope when it would fit.</exception>
    public static void CheckGivenLength(int length, NormalizerLayout layout, string column, string what, string transform)
    {
        if (length == layout.FeatureCount) return;
        string hint = layout.Scope == NormalizationScope.PerSlot && layout.Dimensions.Length == 3 && length == layout.Dimensions[0]
            ? " For one value per image channel, set the scope to NormalizationScope.PerChannel."
            : "";
        throw new ArgumentException(
            $"{transform}: {length} {what} values were given, but column '{column}' has {layout.FeatureCount} {layout.FeatureWord}s" +
            $"{(layout.Scope == NormalizationScope.PerChannel ? "" : $" (dimensions {string.Join("×", layout.Dimensions)})")}: one value per {layout.FeatureWord} is needed.{hint}");
    }
}
