namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>Settings of one run of our side (one process).</summary>
/// <param name="Threads">The engine's <c>Parallelism.MaxDegreeOfParallelism</c>.</param>
/// <param name="Quick">The harness's quick mode (fewer sizes or repetitions where a workload allows it).</param>
/// <param name="Epochs">Timed training epochs (WORKLOADS.md: 3).</param>
/// <param name="Cold">Warm up exactly as the anchors do (50 steps, 20 inference batches), without waiting for the JIT to
/// settle (<see cref="Protocol.JitWarmup"/>): shows what the first seconds of a process cost.</param>
public sealed record RunSettings(int Threads, bool Quick, int Epochs = 3, bool Cold = false);
