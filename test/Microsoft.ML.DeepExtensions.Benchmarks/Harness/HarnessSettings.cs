namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>Settings of a side-by-side harness run (<c>bench</c> command, see <see cref="BenchHarness"/>).</summary>
public sealed record HarnessSettings
{
    /// <summary>Quick mode: one round, fewer anchor configurations and GEMM sizes, no scikit-learn (under 5 minutes).</summary>
    public bool Quick { get; init; }

    /// <summary>The workloads to run, by id.</summary>
    public IReadOnlyList<string> WorkloadIds { get; init; } = [];

    /// <summary>Rounds of interleaved processes (ours, anchor, ours, anchor, ...); each metric is the median over rounds.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Thread counts.</summary>
    public IReadOnlyList<int> Threads { get; init; } = [1, 2];

    /// <summary>The folder holding <c>bench/anchors</c> (the project's shared folder).</summary>
    public string SharedDir { get; init; } = "";

    /// <summary>Where the report and the raw per-process results go (e.g. <c>artifacts/bench</c>).</summary>
    public string OutDir { get; init; } = "artifacts/bench";

    /// <summary>The bench_torch.py 2-thread configurations to run (the best becomes the anchor).</summary>
    public IReadOnlyList<string> TorchConfigs { get; init; } = ["t2", "t2p", "t2b1"];

    /// <summary>Also run scikit-learn's MLPClassifier (float32) on W1/W1s.</summary>
    public bool IncludeSklearn { get; init; }

    /// <summary>Run the anchors (false: ours only, e.g. to check our side quickly).</summary>
    public bool RunAnchors { get; init; } = true;

    /// <summary>The Python interpreter of the anchors (Debian's, which sees python3-torch).</summary>
    public string Python { get; init; } = "/usr/bin/python3";

    /// <summary>A free-text label recorded in the report (e.g. the git commit).</summary>
    public string? Label { get; init; }

    /// <summary>Seconds after which a child process is killed.</summary>
    public int TimeoutSeconds { get; init; } = 900;

    /// <summary>The quick-mode defaults.</summary>
    /// <remarks>PyTorch's <c>t2</c> (spinning OpenMP workers) is left out: on a busy machine it can take minutes per run.</remarks>
    public static HarnessSettings QuickDefaults => new() { Quick = true, Rounds = 1, TorchConfigs = ["t2p", "t2b1"], IncludeSklearn = false, TimeoutSeconds = 180 };

    /// <summary>The full-mode defaults.</summary>
    public static HarnessSettings FullDefaults => new() { Quick = false, Rounds = 3, IncludeSklearn = true };
}
