using System.Diagnostics;
using System.Runtime;
using System.Text.Json.Nodes;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

/// <summary>
/// Warm-up for a JIT-compiled runtime: repeats a warm-up action until the JIT has settled, i.e. until a whole quiet
/// period passes without any method being compiled (<see cref="JitInfo.GetCompiledMethodCount"/>), or a time limit.
/// </summary>
/// <remarks>
/// The anchors' 50 warm-up steps suffice for PyTorch, whose kernels are compiled ahead of time. .NET starts every
/// method unoptimized (tier 0) and recompiles hot ones in the background (tier 1, with dynamic PGO): on a busy machine
/// that takes seconds, and tier-0 code of SIMD kernels is several times slower. Timing before the JIT settles would
/// measure the compiler, not the engine. The settle time is reported (<c>jit_settle</c>) so the cold start stays visible.
/// </remarks>
public static class JitWarmup
{
    /// <summary>
    /// Runs <paramref name="action"/> at least once, then until calls compiling at most <paramref name="tolerancePerCall"/>
    /// methods each have gone on for <paramref name="quietSeconds"/>, or <paramref name="maxSeconds"/> have passed.
    /// </summary>
    /// <param name="action">One warm-up round.</param>
    /// <param name="quietSeconds">How long the JIT must stay quiet.</param>
    /// <param name="maxSeconds">The time limit.</param>
    /// <param name="tolerancePerCall">Methods a call may compile and still count as quiet (code that builds dynamic
    /// methods on every call, like ML.NET's data views, never reaches 0).</param>
    /// <param name="once">Run the action once only (cold-start measurements).</param>
    /// <returns>Time spent, calls, methods compiled, whether it settled, and the first per-call compile counts.</returns>
    public static JsonObject Settle(Action action, double quietSeconds = 0.5, double maxSeconds = 20, int tolerancePerCall = 0, bool once = false)
    {
        var clock = Stopwatch.StartNew();
        var quiet = Stopwatch.StartNew();
        long start = JitInfo.GetCompiledMethodCount(), last = start;
        var perCall = new List<long>();
        bool settled = false;
        while (!settled && clock.Elapsed.TotalSeconds < maxSeconds && !(once && perCall.Count == 1))
        {
            action();
            long now = JitInfo.GetCompiledMethodCount();
            perCall.Add(now - last);
            if (now - last > tolerancePerCall) quiet.Restart();
            last = now;
            settled = quiet.Elapsed.TotalSeconds >= quietSeconds;
        }
        return new JsonObject
        {
            ["seconds"] = clock.Elapsed.TotalSeconds,
            ["calls"] = perCall.Count,
            ["methods_compiled"] = last - start,
            ["settled"] = settled,
            ["jit_seconds_total"] = JitInfo.GetCompilationTime().TotalSeconds,
            ["compiled_per_call_first40"] = ResultJson.Array(perCall.Take(40).Select(d => (int)d)),
        };
    }
}
