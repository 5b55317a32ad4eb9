namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

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
