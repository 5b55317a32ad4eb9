namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// Every workload the harness knows, by id. Later workloads (W2/W2w CNNs, W3/W3g recurrent nets, W4 Transformer)
/// are added here as one class each, usually a <see cref="NetworkWorkload"/> with its data set and network.
/// </summary>
public static class WorkloadRegistry
{
    /// <summary>All workloads, in report order.</summary>
    public static IReadOnlyList<Workload> All { get; } =
    [
        new W1Workload(),
        new W1sWorkload(),
        new W3Workload(),
        new W3gWorkload(),
        new W5GemmWorkload(),
    ];

    /// <summary>The ids run when none are given.</summary>
    public static IReadOnlyList<string> DefaultIds => All.Select(w => w.Id).ToArray();

    /// <summary>The workload with id <paramref name="id"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No workload has that id.</exception>
    public static Workload Get(string id) =>
        All.FirstOrDefault(w => string.Equals(w.Id, id, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"Unknown workload '{id}'; known: {string.Join(", ", DefaultIds)}.");
}
