using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

/// <summary>Helpers that write results in the anchors' JSON layout (<c>anchors_common.emit</c>).</summary>
public static class ResultJson
{
    /// <summary>Indented output, as the anchors write it.</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>A JSON array of numbers.</summary>
    public static JsonArray Array(IEnumerable<double> values) => new(values.Select(v => (JsonNode)v).ToArray());

    /// <summary>A JSON array of integers.</summary>
    public static JsonArray Array(IEnumerable<int> values) => new(values.Select(v => (JsonNode)v).ToArray());

    /// <summary>The checksum object of <c>anchors_common.checksum</c>.</summary>
    public static JsonObject Checksum(WorkloadChecksum c) => new()
    {
        ["X_sum"] = c.XSum,
        ["X_abs_sum"] = c.XAbsSum,
        ["X_first4"] = Array(c.XFirst4.Select(v => (double)v)),
        ["y_hist"] = Array(c.YHistogram),
        ["y_first8"] = Array(c.YFirst8),
    };

    /// <summary>Reads a number at a path of object keys, or null when a key is missing or the value is not a number.</summary>
    public static double? Number(JsonNode? node, params string[] path)
    {
        foreach (string key in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(key, out node)) return null;
        }
        return node is JsonValue v && v.TryGetValue(out double d) ? d : null;
    }
}
