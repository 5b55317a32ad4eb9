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

/// <summary>Settings of one run of our side (one process).</summary>
/// <param name="Threads">The engine's <c>Parallelism.MaxDegreeOfParallelism</c>.</param>
/// <param name="Quick">The harness's quick mode (fewer sizes or repetitions where a workload allows it).</param>
/// <param name="Epochs">Timed training epochs (WORKLOADS.md: 3).</param>
/// <param name="Cold">Warm up exactly as the anchors do (50 steps, 20 inference batches), without waiting for the JIT to
/// settle (<see cref="Protocol.JitWarmup"/>): shows what the first seconds of a process cost.</param>
public sealed record RunSettings(int Threads, bool Quick, int Epochs = 3, bool Cold = false);

/// <summary>One anchor process: a Python script of <c>shared/bench/anchors</c> with its arguments and environment.</summary>
/// <param name="Side">The anchor's name in the results, e.g. <c>torch</c>, <c>sklearn</c>, <c>numpy</c>.</param>
/// <param name="Config">The configuration, e.g. <c>t1</c>, <c>t2p</c>.</param>
/// <param name="Threads">The thread count the row is reported under.</param>
/// <param name="Script">The script's file name in <c>anchors/</c>.</param>
/// <param name="Arguments">Its arguments (the harness appends <c>--out FILE</c>).</param>
/// <param name="Environment">Environment changes: a null value removes the variable.</param>
public sealed record AnchorCommand(string Side, string Config, int Threads, string Script, string[] Arguments,
    IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>
    /// The environment every anchor runs with: <c>OPENBLAS_CORETYPE</c> and <c>OPENBLAS_L2_SIZE</c> removed, so OpenBLAS
    /// picks its AVX-512 kernels (the strongest anchor, ANCHORS.md).
    /// </summary>
    public static Dictionary<string, string?> StrongestBlasEnvironment() =>
        new() { ["OPENBLAS_CORETYPE"] = null, ["OPENBLAS_L2_SIZE"] = null };
}
