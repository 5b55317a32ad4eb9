namespace Microsoft.ML.DeepExtensions.Data;

/// <summary>Schema text shared by the "missing column" errors.</summary>
internal static class SchemaColumns
{
    /// <summary>The visible columns of <paramref name="schema"/>, quoted and comma-separated (e.g. <c>'Label', 'Features'</c>).</summary>
    public static string List(DataViewSchema schema) =>
        string.Join(", ", schema.Where(c => !c.IsHidden).Select(c => $"'{c.Name}'"));
}
