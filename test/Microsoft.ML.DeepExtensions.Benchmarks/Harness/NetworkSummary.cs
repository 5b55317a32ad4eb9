using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Protocol;
using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>
/// The report rows of a <see cref="NetworkWorkload"/>: throughput and peak RSS of each of our implementations against
/// PyTorch (1 thread: <c>t1</c>; 2 threads: the best of <c>t2</c>/<c>t2p</c>/<c>t2b1</c>, per metric), the sanity
/// values (same data, first-batch loss), scikit-learn when it ran, and the targets.
/// </summary>
public static class NetworkSummary
{
    /// <summary>The main table's title.</summary>
    public const string ThroughputTitle = "Training and inference (samples/s, median over rounds; anchor = PyTorch 1.13, best configuration at that thread count)";

    /// <summary>Adds the workload's rows.</summary>
    public static void Add(NetworkWorkload w, ResultSet results, BenchReport report)
    {
        string b = $"{w.BatchSize}";
        Func<JsonObject, double?> train = r => ResultJson.Number(r, "train", "samples_per_s");
        Func<JsonObject, double?> infer1 = r => ResultJson.Number(r, "infer", "1", "samples_per_s");
        Func<JsonObject, double?> inferB = r => ResultJson.Number(r, "infer", b, "samples_per_s");
        Func<JsonObject, double?> rss = r => ResultJson.Number(r, "peak_rss_mb_self");

        var table = report.Table(ThroughputTitle,
        [
            "workload", "ours", "threads", "train ours", "train torch", "ratio", "infer b=1 ours", "torch", "ratio",
            "infer batch ours", "torch", "ratio", "peak RSS MiB ours", "torch", "torch config (train)",
        ]);
        foreach (int threads in results.Threads(w.Id))
        {
            var (torchTrain, trainConfig) = results.Best(w.Id, "torch", threads, train);
            var (torch1, _) = results.Best(w.Id, "torch", threads, infer1);
            var (torchB, _) = results.Best(w.Id, "torch", threads, inferB);
            double? torchRss = trainConfig is null ? null : results.Median(w.Id, "torch", trainConfig, threads, rss);
            foreach (string impl in results.Configs(w.Id, "ours", threads))
            {
                double? oursTrain = results.Median(w.Id, "ours", impl, threads, train);
                double? ours1 = results.Median(w.Id, "ours", impl, threads, infer1);
                double? oursB = results.Median(w.Id, "ours", impl, threads, inferB);
                double? oursRss = results.Median(w.Id, "ours", impl, threads, rss);
                string label = impl switch
                {
                    "mlnet" => "ML.NET Fit",
                    "engine-cold" => "engine, 50-step warm-up (JIT cold)",
                    "engine-cold-notiered" => "engine, 50-step warm-up, TieredCompilation off",
                    _ => impl,
                };
                table.Add(new JsonObject
                {
                    ["workload"] = w.Id, ["ours"] = impl, ["threads"] = threads, ["batch"] = w.BatchSize,
                    ["train_ours"] = oursTrain, ["train_torch"] = torchTrain, ["train_ratio"] = oursTrain / torchTrain,
                    ["infer1_ours"] = ours1, ["infer1_torch"] = torch1, ["infer1_ratio"] = ours1 / torch1,
                    ["inferB_ours"] = oursB, ["inferB_torch"] = torchB, ["inferB_ratio"] = oursB / torchB,
                    ["rss_mb_ours"] = oursRss, ["rss_mb_torch"] = torchRss, ["torch_train_config"] = trainConfig,
                },
                    $"{w.Id} (b={w.BatchSize})", label, $"{threads}",
                    BenchReport.Rate(oursTrain), BenchReport.Rate(torchTrain), BenchReport.Format(oursTrain / torchTrain, "F2"),
                    BenchReport.Rate(ours1), BenchReport.Rate(torch1), BenchReport.Format(ours1 / torch1, "F2"),
                    BenchReport.Rate(oursB), BenchReport.Rate(torchB), BenchReport.Format(oursB / torchB, "F2"),
                    BenchReport.Format(oursRss, "F0"), BenchReport.Format(torchRss, "F0"), trainConfig ?? "-");
                if (impl != "engine") continue;
                if (w.TrainTarget is double tt) report.Target($"{w.Id} training, {threads} thread(s)", oursTrain / torchTrain, tt);
                if (w.InferenceTarget is double it)
                {
                    report.Target($"{w.Id} inference b=1, {threads} thread(s)", ours1 / torch1, it);
                    report.Target($"{w.Id} inference b={w.BatchSize}, {threads} thread(s)", oursB / torchB, it);
                }
            }
            AddSanity(w, results, report, threads, trainConfig);
            AddSklearn(w, results, report, threads, train, infer1, inferB);
        }
    }

    private static void AddSanity(NetworkWorkload w, ResultSet results, BenchReport report, int threads, string? torchConfig)
    {
        var ours = results.First(w.Id, "ours", "engine", threads);
        var torch = torchConfig is null ? null : results.First(w.Id, "torch", torchConfig, threads);
        var table = report.Table("Sanity (same data and init: first-batch loss before any update; final = epoch-3 mean loss)",
            ["workload", "threads", "data = anchor's", "first loss ours", "torch", "ANCHORS.md", "final loss ours", "torch", "train acc ours", "torch"]);
        double? first = ResultJson.Number(ours, "train", "first_batch_loss");
        double? torchFirst = ResultJson.Number(torch, "train", "first_batch_loss");
        string same = SameData(ours, torch);
        table.Add(new JsonObject
        {
            ["workload"] = w.Id, ["threads"] = threads, ["same_data"] = same,
            ["first_loss_ours"] = first, ["first_loss_torch"] = torchFirst, ["first_loss_expected"] = w.ExpectedFirstBatchLoss,
            ["final_loss_ours"] = ResultJson.Number(ours, "train", "final_loss"), ["final_loss_torch"] = ResultJson.Number(torch, "train", "final_loss"),
            ["train_acc_ours"] = ResultJson.Number(ours, "train", "train_acc"), ["train_acc_torch"] = ResultJson.Number(torch, "train", "train_acc"),
        },
            w.Id, $"{threads}", same,
            BenchReport.Format(first, "F5") + (first is double f && Math.Abs(f - w.ExpectedFirstBatchLoss) > 0.002 ? " (CHECK)" : ""),
            BenchReport.Format(torchFirst, "F5"), BenchReport.Format(w.ExpectedFirstBatchLoss, "F3"),
            BenchReport.Format(ResultJson.Number(ours, "train", "final_loss"), "F4"), BenchReport.Format(ResultJson.Number(torch, "train", "final_loss"), "F4"),
            BenchReport.Format(ResultJson.Number(ours, "train", "train_acc"), "F4"), BenchReport.Format(ResultJson.Number(torch, "train", "train_acc"), "F4"));
    }

    private static string SameData(JsonObject? ours, JsonObject? anchor)
    {
        if (ours?["data_checksum"] is not JsonObject a || anchor?["data_checksum"] is not JsonObject t) return "-";
        double? sa = ResultJson.Number(a, "X_sum"), st = ResultJson.Number(t, "X_sum");
        bool sums = sa is double x && st is double y && Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(y));
        bool labels = a["y_hist"]?.ToJsonString() == t["y_hist"]?.ToJsonString() && a["y_first8"]?.ToJsonString() == t["y_first8"]?.ToJsonString();
        return sums && labels ? "yes" : "NO";
    }

    private static void AddSklearn(NetworkWorkload w, ResultSet results, BenchReport report, int threads,
        Func<JsonObject, double?> train, Func<JsonObject, double?> infer1, Func<JsonObject, double?> inferB)
    {
        string config = $"f32-t{threads}";
        if (results.First(w.Id, "sklearn", config, threads) is null) return;
        var table = report.Table("Against scikit-learn 1.2 MLPClassifier, float32 (samples/s; sklearn trains with its own init and L2 1e-4)",
            ["workload", "threads", "train ours", "sklearn", "ratio", "infer b=1 ours", "sklearn", "ratio", "infer batch ours", "sklearn", "ratio"]);
        double? ot = results.Median(w.Id, "ours", "engine", threads, train), st = results.Median(w.Id, "sklearn", config, threads, train);
        double? o1 = results.Median(w.Id, "ours", "engine", threads, infer1), s1 = results.Median(w.Id, "sklearn", config, threads, infer1);
        double? ob = results.Median(w.Id, "ours", "engine", threads, inferB), sb = results.Median(w.Id, "sklearn", config, threads, inferB);
        table.Add(new JsonObject
        {
            ["workload"] = w.Id, ["threads"] = threads, ["train_ours"] = ot, ["train_sklearn"] = st,
            ["infer1_ours"] = o1, ["infer1_sklearn"] = s1, ["inferB_ours"] = ob, ["inferB_sklearn"] = sb,
        },
            w.Id, $"{threads}", BenchReport.Rate(ot), BenchReport.Rate(st), BenchReport.Format(ot / st, "F2"),
            BenchReport.Rate(o1), BenchReport.Rate(s1), BenchReport.Format(o1 / s1, "F2"),
            BenchReport.Rate(ob), BenchReport.Rate(sb), BenchReport.Format(ob / sb, "F2"));
    }
}
