using System.Text.Json;
using Microsoft.ML.DeepExtensions.Engine;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>One PyTorch reference case from <c>Fixtures/*.json</c> (see Fixtures/README.md).</summary>
public sealed class Fixture
{
    private readonly JsonElement _root;

    private Fixture(string name, JsonElement root)
    {
        Name = name;
        _root = root;
    }

    /// <summary>The case name (file name without extension).</summary>
    public string Name { get; }

    /// <summary>Loads <c>Fixtures/{name}.json</c> from the test output directory.</summary>
    public static Fixture Load(string name)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return new Fixture(name, doc.RootElement.Clone());
    }

    /// <summary>All fixture names whose file name starts with <paramref name="prefix"/>.</summary>
    public static IEnumerable<string> Names(string prefix) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Fixtures"), prefix + "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .OrderBy(n => n, StringComparer.Ordinal)!;

    /// <summary>True when the case has a field named <paramref name="key"/> that is not null.</summary>
    public bool Has(string key) => _root.TryGetProperty(key, out var e) && e.ValueKind != JsonValueKind.Null;

    /// <summary>A tensor field <c>{"shape": [...], "data": [...]}</c>.</summary>
    public Tensor Tensor(string key)
    {
        var e = _root.GetProperty(key);
        int[] shape = e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt32()).ToArray();
        float[] data = e.GetProperty("data").EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
        return new Tensor(data, shape);
    }

    /// <summary>A flat list of numbers (e.g. <c>lr_per_epoch</c>) as doubles.</summary>
    public double[] Doubles(string key) => _root.GetProperty(key).EnumerateArray().Select(x => x.GetDouble()).ToArray();

    /// <summary>A number field.</summary>
    public double Number(string key) => _root.GetProperty(key).GetDouble();

    /// <summary>A string field.</summary>
    public string String(string key) => _root.GetProperty(key).GetString()!;

    /// <summary>The raw JSON element of a field.</summary>
    public JsonElement this[string key] => _root.GetProperty(key);
}
