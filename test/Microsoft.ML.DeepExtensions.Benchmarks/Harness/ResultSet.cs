using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>All results of a harness run, with the medians over rounds the report uses.</summary>
public sealed class ResultSet
{
    private readonly List<ResultRecord> _records = [];

    /// <summary>Every result.</summary>
    public IReadOnlyList<ResultRecord> Records => _records;

    /// <summary>Adds a result.</summary>
    public void Add(ResultRecord record) => _records.Add(record);

    /// <summary>The thread counts with results for <paramref name="workload"/>.</summary>
    public IReadOnlyList<int> Threads(string workload) =>
        _records.Where(r => r.Workload == workload).Select(r => r.Threads).Distinct().Order().ToArray();

    /// <summary>The configurations of <paramref name="side"/> with results for a workload and thread count.</summary>
    public IReadOnlyList<string> Configs(string workload, string side, int threads) =>
        _records.Where(r => r.Workload == workload && r.Side == side && r.Threads == threads).Select(r => r.Config).Distinct().Order().ToArray();

    /// <summary>The first result of a configuration (for values that do not vary, like the first-batch loss).</summary>
    public JsonObject? First(string workload, string side, string config, int threads) =>
        _records.FirstOrDefault(r => r.Workload == workload && r.Side == side && r.Config == config && r.Threads == threads)?.Json;

    /// <summary>The median over rounds of <paramref name="metric"/> for one configuration, or null when no round has it.</summary>
    public double? Median(string workload, string side, string config, int threads, Func<JsonObject, double?> metric)
    {
        var values = _records
            .Where(r => r.Workload == workload && r.Side == side && r.Config == config && r.Threads == threads)
            .Select(r => metric(r.Json)).OfType<double>().ToArray();
        return values.Length == 0 ? null : Stats.Median(values);
    }

    /// <summary>
    /// The best (highest) median of <paramref name="metric"/> over the configurations of <paramref name="side"/> at a
    /// thread count, and the configuration that reached it.
    /// </summary>
    public (double? Value, string? Config) Best(string workload, string side, int threads, Func<JsonObject, double?> metric)
    {
        (double? value, string? config) best = (null, null);
        foreach (string config in Configs(workload, side, threads))
        {
            double? v = Median(workload, side, config, threads, metric);
            if (v is double x && (best.value is null || x > best.value)) best = (x, config);
        }
        return best;
    }

    /// <summary>Loads every <c>*.json</c> of a raw folder written by the harness.</summary>
    public static ResultSet Load(string rawDir)
    {
        var set = new ResultSet();
        foreach (string path in Directory.EnumerateFiles(rawDir, "*.json").Order())
        {
            string[] parts = Path.GetFileNameWithoutExtension(path).Split("__");
            if (parts.Length != 5 || !parts[3].StartsWith('t') || !parts[4].StartsWith('r')) continue;
            if (JsonNode.Parse(File.ReadAllText(path)) is not JsonObject json) continue;
            set.Add(new ResultRecord(parts[0], parts[1], parts[2],
                int.Parse(parts[3][1..], CultureInfo.InvariantCulture), int.Parse(parts[4][1..], CultureInfo.InvariantCulture), json));
        }
        return set;
    }
}
