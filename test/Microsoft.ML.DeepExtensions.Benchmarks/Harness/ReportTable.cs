using System.Text.Json.Nodes;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>One table of the report: its Markdown cells and the same rows as JSON.</summary>
/// <param name="Title">The heading.</param>
/// <param name="Headers">The column headers.</param>
public sealed record ReportTable(string Title, string[] Headers)
{
    /// <summary>The Markdown cells of each row.</summary>
    public List<string[]> Rows { get; } = [];

    /// <summary>The JSON object of each row.</summary>
    public List<JsonObject> Json { get; } = [];

    /// <summary>Adds a row: its JSON form and its cells (as many as <see cref="Headers"/>).</summary>
    /// <exception cref="ArgumentException">The cell count differs from the header count.</exception>
    public void Add(JsonObject json, params string[] cells)
    {
        if (cells.Length != Headers.Length)
            throw new ArgumentException($"Table '{Title}' has {Headers.Length} columns, got {cells.Length} cells.", nameof(cells));
        Json.Add(json);
        Rows.Add(cells);
    }
}
