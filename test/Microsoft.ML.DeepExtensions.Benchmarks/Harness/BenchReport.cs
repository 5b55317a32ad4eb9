using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>
/// The harness's report: Markdown tables (one per kind of result) with the same rows as JSON objects, the
/// targets with their status, and notes (machine load, settings).
/// </summary>
public sealed class BenchReport
{
    private readonly List<ReportTable> _tables = [];
    private readonly List<(string Name, double? Value, double Goal)> _targets = [];

    /// <summary>Lines printed above the tables (machine, load, settings).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Values recorded in the JSON's <c>meta</c> object.</summary>
    public JsonObject Meta { get; } = [];

    /// <summary>The table with this title, created with <paramref name="headers"/> on first use.</summary>
    public ReportTable Table(string title, string[] headers)
    {
        var table = _tables.FirstOrDefault(t => t.Title == title);
        if (table is null)
        {
            table = new ReportTable(title, headers);
            _tables.Add(table);
        }
        return table;
    }

    /// <summary>Records a target: <paramref name="value"/> (a ratio ours/anchor) must reach <paramref name="goal"/>.</summary>
    public void Target(string name, double? value, double goal) => _targets.Add((name, value, goal));

    /// <summary>A number with a .NET format, or <c>-</c> when missing.</summary>
    public static string Format(double? value, string format) =>
        value is double v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>A throughput with thousands separators, or <c>-</c>.</summary>
    public static string Rate(double? value) => Format(value, "N0");

    /// <summary>The report as Markdown.</summary>
    public string ToMarkdown()
    {
        var s = new StringBuilder();
        s.AppendLine("# Side-by-side benchmark");
        s.AppendLine();
        foreach (string note in Notes) s.AppendLine($"- {note}");
        foreach (var table in _tables)
        {
            s.AppendLine();
            s.AppendLine($"## {table.Title}");
            s.AppendLine();
            s.AppendLine("| " + string.Join(" | ", table.Headers) + " |");
            s.AppendLine("|" + string.Concat(table.Headers.Select(_ => "---|")));
            foreach (var row in table.Rows) s.AppendLine("| " + string.Join(" | ", row) + " |");
        }
        if (_targets.Count > 0)
        {
            s.AppendLine();
            s.AppendLine("## Targets (ratio ours/anchor; benchmarks, not tests)");
            s.AppendLine();
            s.AppendLine("| target | ratio | goal | status |");
            s.AppendLine("|---|---|---|---|");
            foreach (var (name, value, goal) in _targets)
                s.AppendLine($"| {name} | {Format(value, "F2")} | ≥ {goal.ToString("0.##", CultureInfo.InvariantCulture)} | {Status(value, goal)} |");
        }
        return s.ToString();
    }

    /// <summary>The report as JSON: <c>meta</c>, <c>notes</c>, one array of row objects per table, <c>targets</c>.</summary>
    public JsonObject ToJson()
    {
        var tables = new JsonObject();
        foreach (var table in _tables) tables[table.Title] = new JsonArray(table.Json.Select(j => (JsonNode)j.DeepClone()).ToArray());
        return new JsonObject
        {
            ["meta"] = Meta.DeepClone(),
            ["notes"] = new JsonArray(Notes.Select(n => (JsonNode)n).ToArray()),
            ["tables"] = tables,
            ["targets"] = new JsonArray(_targets.Select(t => (JsonNode)new JsonObject
            {
                ["target"] = t.Name, ["ratio"] = t.Value, ["goal"] = t.Goal, ["status"] = Status(t.Value, t.Goal),
            }).ToArray()),
        };
    }

    private static string Status(double? value, double goal) => value is null ? "not measured" : value >= goal ? "met" : "NOT met";
}
