using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Protocol;
using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>
/// The side-by-side harness: for each round, workload and thread count it runs our implementations and the anchor
/// configurations alternately (ours, anchor, ours, anchor, ...), each in its own process (so each has its own
/// warm-up and its own peak RSS); then it reports the median over rounds of every metric, ours against the best
/// anchor configuration, as Markdown (stdout) and JSON (<c>OutDir/bench-STAMP.json</c>).
/// </summary>
public static class BenchHarness
{
    private sealed record Job(Workload Workload, string Side, string Config, int Threads, int Round,
        string FileName, string[] Arguments, IReadOnlyDictionary<string, string?> Environment, string WorkingDirectory);

    /// <summary>Runs the harness; returns the process exit code (0 when every process succeeded).</summary>
    public static int Run(HarnessSettings settings)
    {
        var workloads = settings.WorkloadIds.Select(WorkloadRegistry.Get).ToArray();
        string stamp = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string outDir = Path.GetFullPath(settings.OutDir);
        string rawDir = Path.Combine(outDir, $"run-{stamp}");
        Directory.CreateDirectory(rawDir);
        string anchorsDir = Path.GetFullPath(Path.Combine(settings.SharedDir, "bench", "anchors"));
        if (settings.RunAnchors && !File.Exists(Path.Combine(anchorsDir, "bench_torch.py")))
        {
            Console.Error.WriteLine($"error: {anchorsDir}/bench_torch.py not found; set SHARED_DIR (or --shared) to the folder holding bench/anchors.");
            return 2;
        }

        var meta = new JsonObject
        {
            ["stamp"] = stamp,
            ["label"] = settings.Label,
            ["mode"] = settings.Quick ? "quick" : "full",
            ["rounds"] = settings.Rounds,
            ["threads"] = ResultJson.Array(settings.Threads),
            ["workloads"] = new JsonArray(workloads.Select(w => (JsonNode)w.Id).ToArray()),
            ["processors"] = Environment.ProcessorCount,
            ["loadavg_before"] = ProcessInfo.LoadAverage(),
            ["raw_dir"] = rawDir,
        };
        var results = new ResultSet();
        int failures = 0;
        var clock = Stopwatch.StartNew();
        for (int round = 1; round <= settings.Rounds; round++)
        {
            foreach (var w in workloads)
            {
                foreach (int threads in settings.Threads)
                {
                    var ours = w.Implementations.Select(impl => OurJob(w, impl, threads, round, settings)).ToList();
                    var anchors = settings.RunAnchors
                        ? w.Anchors(threads, settings).Select(a => AnchorJob(w, a, round, settings, anchorsDir)).ToList()
                        : [];
                    foreach (var job in Interleave(ours, anchors))
                        if (!RunJob(job, rawDir, settings, results, round, clock)) failures++;
                }
            }
        }
        meta["loadavg_after"] = ProcessInfo.LoadAverage();
        meta["wall_s"] = clock.Elapsed.TotalSeconds;
        File.WriteAllText(Path.Combine(rawDir, "meta.json"), meta.ToJsonString(ResultJson.Indented));

        var report = Summarize(results, workloads, meta);
        string markdown = report.ToMarkdown();
        File.WriteAllText(Path.Combine(outDir, $"bench-{stamp}.md"), markdown);
        File.WriteAllText(Path.Combine(outDir, $"bench-{stamp}.json"), report.ToJson().ToJsonString(ResultJson.Indented));
        Console.WriteLine(markdown);
        Console.Error.WriteLine($"Report: {Path.Combine(outDir, $"bench-{stamp}.md")} (+ .json); raw results and logs: {rawDir}");
        if (failures > 0) Console.Error.WriteLine($"{failures} process(es) failed; see the .log files in {rawDir}.");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Builds the report of <paramref name="results"/> (also used to re-render a raw folder).</summary>
    public static BenchReport Summarize(ResultSet results, IEnumerable<Workload> workloads, JsonObject meta)
    {
        var report = new BenchReport();
        foreach (var (key, value) in meta) report.Meta[key] = value?.DeepClone();
        string? torch = results.Records.Where(r => r.Side == "torch").Select(r => r.Json["torch_version"]?.ToString()).FirstOrDefault(v => v is not null);
        report.Notes.Add($"{meta["stamp"]} UTC, {meta["mode"]} mode, {meta["rounds"]} round(s), threads {meta["threads"]?.ToJsonString()}" +
            (meta["label"] is JsonNode label ? $", {label}" : "") + $"; {meta["processors"]} processors.");
        report.Notes.Add($"Load average (1/5/15 min) before: {meta["loadavg_before"]}; after: {meta["loadavg_after"]}. Numbers measured under load are not comparable with ANCHORS.md; the ratios are side by side.");
        report.Notes.Add($"Anchors: PyTorch {torch ?? "-"} (bench_torch.py), OpenBLAS through numpy (bench_numpy.py), scikit-learn when listed; all with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset (AVX-512 kernels, the strongest anchor).");
        report.Notes.Add("Ours: engine = Engine.Training.TrainingLoop + the workload's network from engine layers (W1/W1s Linear/ReLU; W2 ConvNets.LeNet5; W2w Conv2d/MaxPool2d/GlobalAvgPool2d; W3/W3g LSTM/GRU + SequencePooling(Last) + Linear) + Adam + CrossEntropyLoss with WORKLOADS.md's data, init and epoch order, " +
            "after a warm-up of 50 steps + 20 inference batches repeated until the JIT has settled (no method compiled for 0.5 s; the anchors are AOT-compiled); " +
            "engine, 50-step warm-up = exactly the anchors' warm-up, while .NET's tiered JIT still runs unoptimized code; " +
            "TieredCompilation off = the same warm-up in a process with DOTNET_TieredCompilation=0 (every method fully optimized at its first call); " +
            "ML.NET Fit = MulticlassClassification.Trainers.Mlp on an IDataView, 3N / median fit time (reading the IDataView, ONNX export and scoring-chain setup included).");
        if (meta["wall_s"] is JsonNode wall) report.Notes.Add($"Harness wall time: {BenchReport.Format(wall.GetValue<double>(), "F0")} s.");
        foreach (var w in workloads) w.Summarize(results, report);
        return report;
    }

    private static IEnumerable<Job> Interleave(List<Job> ours, List<Job> anchors)
    {
        for (int i = 0; i < Math.Max(ours.Count, anchors.Count); i++)
        {
            if (i < ours.Count) yield return ours[i];
            if (i < anchors.Count) yield return anchors[i];
        }
    }

    private static Job OurJob(Workload w, string impl, int threads, int round, HarnessSettings s)
    {
        string dll = typeof(BenchHarness).Assembly.Location;
        string host = Environment.ProcessPath ?? "dotnet";
        bool viaDotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        var args = new List<string>();
        if (viaDotnet) args.Add(dll);
        args.AddRange(["workload", w.Id, "--impl", impl, "--threads", $"{threads}"]);
        if (s.Quick) args.Add("--quick");
        // "-notiered" configurations run with tiered compilation off (see NetworkWorkload.Implementations).
        var environment = new Dictionary<string, string?>();
        if (impl.EndsWith("-notiered", StringComparison.Ordinal)) environment["DOTNET_TieredCompilation"] = "0";
        return new Job(w, "ours", impl, threads, round, host, args.ToArray(), environment, Path.GetDirectoryName(dll)!);
    }

    private static Job AnchorJob(Workload w, AnchorCommand a, int round, HarnessSettings s, string anchorsDir) =>
        new(w, a.Side, a.Config, a.Threads, round, s.Python, [Path.Combine(anchorsDir, a.Script), .. a.Arguments], a.Environment, anchorsDir);

    private static bool RunJob(Job job, string rawDir, HarnessSettings s, ResultSet results, int round, Stopwatch clock)
    {
        string name = ResultRecord.FileNameOf(job.Workload.Id, job.Side, job.Config, job.Threads, job.Round);
        string jsonPath = Path.Combine(rawDir, name);
        string logPath = Path.ChangeExtension(jsonPath, ".log");
        Console.Error.Write($"[{clock.Elapsed:mm\\:ss}] round {round}/{s.Rounds} {job.Workload.Id} t{job.Threads} {job.Side}/{job.Config} ... ");
        var outcome = ChildProcess.Run(job.FileName, [.. job.Arguments, "--out", jsonPath], job.WorkingDirectory, job.Environment, logPath, s.TimeoutSeconds);
        if (outcome.ExitCode != 0 || !File.Exists(jsonPath))
        {
            Console.Error.WriteLine($"FAILED ({(outcome.ExitCode is int c ? $"exit {c}" : "timeout")}, {outcome.Seconds:F1} s; {logPath})");
            return false;
        }
        var json = (JsonObject)JsonNode.Parse(File.ReadAllText(jsonPath))!;
        results.Add(new ResultRecord(job.Workload.Id, job.Side, job.Config, job.Threads, job.Round, json));
        Console.Error.WriteLine($"{outcome.Seconds:F1} s");
        return true;
    }
}
