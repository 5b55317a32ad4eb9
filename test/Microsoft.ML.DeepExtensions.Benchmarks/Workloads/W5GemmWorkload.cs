using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Harness;
using Microsoft.ML.DeepExtensions.Benchmarks.Protocol;
using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// W5: <c>C = A·B</c>, square n, float32, row-major, <c>A = sym(11, ·)</c>, <c>B = sym(12, ·)</c>, through
/// <see cref="Gemm.Multiply"/>, against OpenBLAS <c>sgemm</c> (numpy, AVX-512 kernel) and <c>torch.mm</c>.
/// </summary>
/// <remarks>
/// The anchors' protocol (bench_numpy.py), in process: 3 untimed calls; reps chosen so that one block lasts at least
/// 0.25 s; 5 timed blocks; <b>GFLOP/s = 2n³ / median seconds per multiply</b>. (The BenchmarkDotNet class
/// <c>GemmBenchmarks</c>, run by <c>eng/bench-gemm.sh</c>, measures the same product for micro-benchmarking.)
/// Quick mode runs n = 256 and 1024 only, and no torch.mm.
/// </remarks>
public sealed class W5GemmWorkload : Workload
{
    /// <summary>The sizes of the full run.</summary>
    public static readonly int[] Sizes = [128, 256, 512, 1024, 2048];

    /// <summary>The sizes of the quick run.</summary>
    public static readonly int[] QuickSizes = [256, 1024];

    /// <summary>Target: at least this fraction of OpenBLAS at every n ≥ 256.</summary>
    public const double Target = 0.9;

    /// <inheritdoc />
    public override string Id => "W5";

    /// <inheritdoc />
    public override string Description => "SGEMM n×n×n, GFLOP/s";

    /// <inheritdoc />
    public override JsonObject Run(string implementation, RunSettings settings)
    {
        if (implementation != "engine") throw UnknownImplementation(implementation);
        Parallelism.MaxDegreeOfParallelism = settings.Threads;
        var wall = Stopwatch.StartNew();
        var gemm = new JsonObject();
        foreach (int n in settings.Quick ? QuickSizes : Sizes)
        {
            float[] a = WorkloadData.SymArray(11, n * n), b = WorkloadData.SymArray(12, n * n), c = new float[n * n];
            void Multiply() => Gemm.Multiply(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            for (int i = 0; i < 3; i++) Multiply();
            long t0 = Stopwatch.GetTimestamp();
            Multiply();
            double one = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            int reps = Math.Max(1, (int)(0.25 / Math.Max(one, 1e-6)));
            var blocks = new double[5];
            for (int blk = 0; blk < blocks.Length; blk++)
            {
                t0 = Stopwatch.GetTimestamp();
                for (int r = 0; r < reps; r++) Multiply();
                blocks[blk] = Stopwatch.GetElapsedTime(t0).TotalSeconds / reps;
            }
            double flops = 2.0 * n * n * n;
            gemm[$"{n}"] = new JsonObject
            {
                ["reps_per_block"] = reps,
                ["sec_per_mm"] = ResultJson.Array(blocks),
                ["gflops"] = flops / Stats.Median(blocks) / 1e9,
                ["gflops_best"] = flops / blocks.Min() / 1e9,
                ["max_abs_err_vs_f64_sampled"] = SampledError(a, b, c, n),
            };
        }
        return new JsonObject
        {
            ["framework"] = "engine",
            ["workload"] = Id,
            ["threads"] = settings.Threads,
            ["gemm"] = gemm,
            ["wall_s"] = wall.Elapsed.TotalSeconds,
        };
    }

    /// <summary>OpenBLAS through numpy (environment unset: AVX-512 kernel); torch.mm in the full run.</summary>
    public override IReadOnlyList<AnchorCommand> Anchors(int threads, HarnessSettings settings)
    {
        var env = AnchorCommand.StrongestBlasEnvironment();
        string sizes = string.Join(",", settings.Quick ? QuickSizes : Sizes);
        var anchors = new List<AnchorCommand>
        {
            new("numpy", $"t{threads}", threads, "bench_numpy.py", ["--threads", $"{threads}", "--sizes", sizes], env),
        };
        if (!settings.Quick)
            anchors.Add(new("torch", $"t{threads}", threads, "bench_torch.py", ["--workload", "W5", "--threads", $"{threads}"], env));
        return anchors;
    }

    /// <inheritdoc />
    public override void Summarize(ResultSet results, BenchReport report)
    {
        var table = report.Table("W5 GEMM (GFLOP/s, median; OpenBLAS = numpy with the AVX-512 kernel)",
            ["n", "threads", "ours", "OpenBLAS", "ours/OpenBLAS", "torch.mm", "ours/torch.mm"]);
        foreach (int threads in results.Threads(Id))
        {
            double worst = double.PositiveInfinity;
            foreach (int n in Sizes)
            {
                string key = $"{n}";
                double? ours = results.Median(Id, "ours", "engine", threads, r => ResultJson.Number(r, "gemm", key, "gflops"));
                if (ours is null) continue;
                double? blas = results.Median(Id, "numpy", $"t{threads}", threads, r => ResultJson.Number(r, "gemm", key, "gflops"));
                double? torch = results.Median(Id, "torch", $"t{threads}", threads, r => ResultJson.Number(r, "gemm", key, "gflops"));
                double? ratio = ours / blas;
                if (n >= 256 && ratio is double q) worst = Math.Min(worst, q);
                table.Add(new JsonObject
                {
                    ["workload"] = Id, ["n"] = n, ["threads"] = threads, ["ours_gflops"] = ours, ["openblas_gflops"] = blas,
                    ["ratio_openblas"] = ratio, ["torch_mm_gflops"] = torch, ["ratio_torch_mm"] = ours / torch,
                },
                    $"{n}", $"{threads}", BenchReport.Format(ours, "F1"), BenchReport.Format(blas, "F1"), BenchReport.Format(ratio, "F2"),
                    BenchReport.Format(torch, "F1"), BenchReport.Format(ours / torch, "F2"));
            }
            if (!double.IsPositiveInfinity(worst))
                report.Target($"W5 GEMM, {threads} thread(s), worst n ≥ 256, ours/OpenBLAS", worst, Target);
        }
    }

    private static double SampledError(float[] a, float[] b, float[] c, int n)
    {
        double worst = 0;
        for (int s = 0; s < 64; s++)
        {
            int i = WorkloadData.UInt(77, 2 * s, n), j = WorkloadData.UInt(77, 2 * s + 1, n);
            double exact = 0;
            for (int p = 0; p < n; p++) exact += (double)a[i * n + p] * b[p * n + j];
            worst = Math.Max(worst, Math.Abs(c[i * n + j] - exact));
        }
        return double.Parse(worst.ToString("G6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }
}
