using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Benchmarks;

/// <summary>
/// W5 of shared/bench/WORKLOADS.md: <c>C = A·B</c>, square n, float32, row-major, no transposes,
/// A = sym(11, ·), B = sym(12, ·); reported as GFLOP/s = 2n³ / mean time. Run with
/// <c>--filter *GemmBenchmarks*</c> (eng/bench-gemm.sh runs it beside the OpenBLAS anchor).
/// </summary>
[Config(typeof(GemmBenchmarkConfig))]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    /// <summary>Matrix size n (all three dimensions).</summary>
    [Params(128, 256, 512, 1024, 2048)]
    public int N { get; set; }

    /// <summary><see cref="Parallelism.MaxDegreeOfParallelism"/> during the run.</summary>
    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    /// <summary>1 and 2, or the comma-separated list in <c>GEMM_BENCH_THREADS</c> (eng/bench-gemm.sh alternates them with the anchor).</summary>
    public static IEnumerable<int> ThreadCounts =>
        (Environment.GetEnvironmentVariable("GEMM_BENCH_THREADS") ?? "1,2").Split(',').Select(int.Parse);

    [GlobalSetup]
    public void Setup()
    {
        _a = Sym(11, N * N);
        _b = Sym(12, N * N);
        _c = new float[N * N];
        Parallelism.MaxDegreeOfParallelism = Threads;
    }

    [Benchmark]
    public void Sgemm() => Gemm.Multiply(false, false, N, N, N, 1f, _a, N, _b, N, 0f, _c, N);

    /// <summary><c>sym(seed, i) = 2·u24 - 1</c>, the anchors' operand generator.</summary>
    private static float[] Sym(ulong seed, int length)
    {
        var rng = new Rng(seed);
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = 2f * rng.NextFloat() - 1f;
        return x;
    }
}

/// <summary>A short in-process job (the machine is shared: few, quick iterations) plus a GFLOP/s column.</summary>
public sealed class GemmBenchmarkConfig : ManualConfig
{
    public GemmBenchmarkConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(int.TryParse(Environment.GetEnvironmentVariable("GEMM_BENCH_ITERATIONS"), out int n) ? n : 10)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithId("Gemm"));
        AddColumn(new GflopsColumn());
        AddColumn(StatisticColumn.Median);
    }
}

/// <summary>GFLOP/s of a square GEMM: <c>2·N³ / median time</c>.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "2·N³ / median time, in 10⁹ floating-point operations per second";
    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        if (stats is null || benchmarkCase.Parameters["N"] is not int n) return "-";
        return (2.0 * n * n * n / stats.Median).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }
}
