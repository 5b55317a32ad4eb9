using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Harness;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// One workload of <c>shared/bench/WORKLOADS.md</c>: how this project runs it (in the current process, one
/// implementation per process) and which anchor processes run the same thing, side by side.
/// </summary>
/// <remarks>
/// To add a workload: derive from <see cref="NetworkWorkload"/> (a network trained and run like W1) or from this class,
/// and list it in <see cref="WorkloadRegistry"/>. The harness then runs it with <c>--workloads ID</c>.
/// </remarks>
public abstract class Workload
{
    /// <summary>The id used in WORKLOADS.md and by the anchor scripts, e.g. <c>W1</c>.</summary>
    public abstract string Id { get; }

    /// <summary>A short description for the report.</summary>
    public abstract string Description { get; }

    /// <summary>This project's implementations, each run in its own process (e.g. <c>engine</c>, <c>mlnet</c>).</summary>
    public virtual IReadOnlyList<string> Implementations => ["engine"];

    /// <summary>Runs <paramref name="implementation"/> in this process and returns the result (JSON, anchor-style keys).</summary>
    /// <exception cref="ArgumentException">The implementation is not one of <see cref="Implementations"/>.</exception>
    public abstract JsonObject Run(string implementation, RunSettings settings);

    /// <summary>The anchor processes to run beside ours at <paramref name="threads"/> threads.</summary>
    public abstract IReadOnlyList<AnchorCommand> Anchors(int threads, HarnessSettings settings);

    /// <summary>Adds this workload's rows (ours against the anchors) to <paramref name="report"/>.</summary>
    public abstract void Summarize(ResultSet results, BenchReport report);

    /// <summary>The error for an unknown implementation name.</summary>
    protected ArgumentException UnknownImplementation(string implementation) =>
        new($"{Id} has no implementation '{implementation}'; expected one of: {string.Join(", ", Implementations)}.");
}
