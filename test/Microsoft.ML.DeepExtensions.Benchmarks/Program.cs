using System.Text.Json.Nodes;
using BenchmarkDotNet.Running;
using Microsoft.ML.DeepExtensions.Benchmarks;
using Microsoft.ML.DeepExtensions.Benchmarks.Harness;
using Microsoft.ML.DeepExtensions.Benchmarks.Protocol;
using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

// Commands (anything else goes to BenchmarkDotNet's switcher, e.g. --filter *GemmBenchmarks*):
//   workload ID [--impl engine|mlnet] [--threads N] [--quick] [--cold] [--profile] [--out FILE]   one harness process
//   bench [--quick] [--workloads W1,W5] [--rounds N] [--threads 1,2] [--shared DIR] [--out DIR]
//         [--torch-configs t2,t2p,t2b1] [--sklearn|--no-sklearn] [--no-anchors] [--python PATH] [--label TEXT]
//   report RAW_DIR [--out DIR]                                                           re-render a run's report
//   checksums                                                                            print the data checksums
var cli = new RunnerArguments(args);
switch (cli.Command)
{
    case "workload":
        return RunWorkload(cli);
    case "bench":
        return BenchHarness.Run(HarnessOptions(cli));
    case "report":
        return Rerender(cli);
    case "checksums":
        foreach (var (id, data) in new[] { ("W1/W1s", WorkloadData.Tabular()), ("W2", WorkloadData.LeNet()), ("W2w", WorkloadData.WideCnn()), ("W3/W3g", WorkloadData.Sequences()), ("W4", WorkloadData.Tokens()) })
            Console.WriteLine($"{id}: {ResultJson.Checksum(WorkloadData.Checksum(data)).ToJsonString()}");
        return 0;
    default:
        BenchmarkSwitcher.FromAssembly(typeof(RunnerArguments).Assembly).Run(args);
        return 0;
}

static int RunWorkload(RunnerArguments cli)
{
    var workload = WorkloadRegistry.Get(cli.Positional(0) ?? throw new ArgumentException("workload: give a workload id, e.g. workload W1."));
    var settings = new RunSettings(cli.Int("--threads", 1), cli.Flag("--quick"), Cold: cli.Flag("--cold"));
    JsonObject result;
    if (cli.Flag("--profile"))
    {
        if (workload is not NetworkWorkload network) throw new ArgumentException($"--profile applies to network workloads, not {workload.Id}.");
        result = StepProfiler.Run(network, settings);
    }
    else
    {
        result = workload.Run(cli.Value("--impl") ?? "engine", settings);
    }
    result["peak_rss_mb_self"] = ProcessInfo.PeakRssMb();
    string json = result.ToJsonString(ResultJson.Indented);
    if (cli.Value("--out") is string path) File.WriteAllText(path, json + "\n");
    else if (!cli.Flag("--profile")) Console.WriteLine(json);
    return 0;
}

static HarnessSettings HarnessOptions(RunnerArguments cli)
{
    var s = cli.Flag("--quick") ? HarnessSettings.QuickDefaults : HarnessSettings.FullDefaults;
    return s with
    {
        WorkloadIds = cli.List("--workloads") ?? WorkloadRegistry.DefaultIds,
        Rounds = cli.Int("--rounds", s.Rounds),
        Threads = cli.List("--threads")?.Select(int.Parse).ToArray() ?? s.Threads,
        SharedDir = cli.Value("--shared") ?? Environment.GetEnvironmentVariable("SHARED_DIR") ?? "../shared",
        OutDir = cli.Value("--out") ?? s.OutDir,
        TorchConfigs = cli.List("--torch-configs") ?? s.TorchConfigs,
        IncludeSklearn = cli.Flag("--sklearn") || (s.IncludeSklearn && !cli.Flag("--no-sklearn")),
        RunAnchors = !cli.Flag("--no-anchors"),
        Python = cli.Value("--python") ?? s.Python,
        Label = cli.Value("--label"),
    };
}

static int Rerender(RunnerArguments cli)
{
    string raw = cli.Positional(0) ?? throw new ArgumentException("report: give the raw folder of a run (artifacts/bench/run-STAMP).");
    var results = ResultSet.Load(raw);
    var workloads = WorkloadRegistry.All.Where(w => results.Records.Any(r => r.Workload == w.Id));
    string metaPath = Path.Combine(raw, "meta.json");
    var meta = File.Exists(metaPath) && JsonNode.Parse(File.ReadAllText(metaPath)) is JsonObject saved
        ? saved
        : new JsonObject { ["stamp"] = Path.GetFileName(Path.TrimEndingDirectorySeparator(raw)), ["mode"] = "re-rendered", ["rounds"] = results.Records.Max(r => r.Round), ["processors"] = Environment.ProcessorCount };
    var report = BenchHarness.Summarize(results, workloads, meta);
    Console.WriteLine(report.ToMarkdown());
    if (cli.Value("--out") is string dir) File.WriteAllText(Path.Combine(dir, "report.json"), report.ToJson().ToJsonString(ResultJson.Indented));
    return 0;
}
