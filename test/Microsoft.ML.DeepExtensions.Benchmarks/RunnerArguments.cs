using System.Globalization;

namespace Microsoft.ML.DeepExtensions.Benchmarks;

/// <summary>A minimal parser for the runner's commands: <c>command [positional ...] [--flag] [--name value]</c>.</summary>
public sealed class RunnerArguments
{
    private static readonly HashSet<string> Flags = ["--quick", "--cold", "--profile", "--sklearn", "--no-sklearn", "--no-anchors"];
    private readonly List<string> _positional = [];
    private readonly Dictionary<string, string?> _options = [];

    /// <summary>Parses <paramref name="args"/>; the first argument is the command unless it starts with <c>-</c>.</summary>
    public RunnerArguments(string[] args)
    {
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-')) Command = args[i++];
        for (; i < args.Length; i++)
        {
            string a = args[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) _positional.Add(a);
            else if (Flags.Contains(a) || i + 1 >= args.Length) _options[a] = null;
            else _options[a] = args[++i];
        }
    }

    /// <summary>The command (first argument), or null.</summary>
    public string? Command { get; }

    /// <summary>Positional argument <paramref name="index"/> after the command, or null.</summary>
    public string? Positional(int index) => index < _positional.Count ? _positional[index] : null;

    /// <summary>True when the flag is present.</summary>
    public bool Flag(string name) => _options.ContainsKey(name);

    /// <summary>The value of an option, or null.</summary>
    public string? Value(string name) => _options.TryGetValue(name, out var v) ? v : null;

    /// <summary>An integer option, or <paramref name="fallback"/>.</summary>
    public int Int(string name, int fallback) => Value(name) is string v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>A comma-separated option, or null.</summary>
    public IReadOnlyList<string>? List(string name) =>
        Value(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
