using System.Text.Json.Nodes;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>One process's result: which side and configuration ran which workload, at which thread count, in which round.</summary>
/// <param name="Workload">The workload id.</param>
/// <param name="Side"><c>ours</c>, <c>torch</c>, <c>sklearn</c> or <c>numpy</c>.</param>
/// <param name="Config">Our implementation (<c>engine</c>, <c>mlnet</c>) or the anchor's configuration (<c>t1</c>, <c>t2p</c>, ...).</param>
/// <param name="Threads">The thread count.</param>
/// <param name="Round">The 1-based round.</param>
/// <param name="Json">The process's JSON output.</param>
public sealed record ResultRecord(string Workload, string Side, string Config, int Threads, int Round, JsonObject Json)
{
    /// <summary>The raw file name: <c>W1__torch__t2p__t2__r1.json</c>.</summary>
    public string FileName => FileNameOf(Workload, Side, Config, Threads, Round);

    /// <summary>The raw file name of a result.</summary>
    public static string FileNameOf(string workload, string side, string config, int threads, int round) =>
        $"{workload}__{side}__{config}__t{threads}__r{round}.json";
}
