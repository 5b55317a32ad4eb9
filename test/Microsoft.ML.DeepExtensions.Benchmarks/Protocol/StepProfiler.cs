using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

/// <summary>
/// Where the time of a training step goes (<c>workload W1s --profile</c>): one epoch of the same steps as
/// <see cref="TrainingLoop.Fit"/> (gather, forward per layer, loss, backward per layer, gradient-norm check, Adam),
/// each phase timed with <see cref="Stopwatch"/> and its allocations counted with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>; beside it, the uninstrumented epoch of the training loop and the
/// time of the step's GEMM calls alone (same shapes, in isolation).
/// </summary>
public static class StepProfiler
{
    /// <summary>Profiles epoch 0 after the protocol's warm-up; returns the result and prints a table to stdout.</summary>
    public static JsonObject Run(NetworkWorkload workload, RunSettings settings)
    {
        Parallelism.MaxDegreeOfParallelism = settings.Threads;
        var data = workload.CreateData();
        int n = data.Rows, batch = workload.BatchSize;
        int[] order = WorkloadData.EpochPermutation(n, 0);

        // Warm-up as in the protocol, until the JIT has settled.
        var warm = workload.CreateInitializedNetwork();
        var warmOptimizer = new Adam(warm.Parameters, 1e-3f);
        var settle = JitWarmup.Settle(() => TrainingLoop.Fit(warm, new CrossEntropyLoss(), warmOptimizer,
            new EpochOrderSource(data, [order], EngineProtocol.WarmupSteps * batch), new TrainingOptions { Epochs = 1, BatchSize = batch }));

        // The real loop, uninstrumented: epochs 0 and 0 again on a fresh network; the second is reported (steady state,
        // including its allocation count).
        var reference = workload.CreateInitializedNetwork();
        long gen0Before = 0, allocBefore = 0;
        var history = TrainingLoop.Fit(reference, new CrossEntropyLoss(), new Adam(reference.Parameters, 1e-3f),
            new EpochOrderSource(data, [order, order]),
            new TrainingOptions
            {
                Epochs = 2,
                BatchSize = batch,
                OnEpochEnd = m =>
                {
                    if (m.Epoch == 1) (gen0Before, allocBefore) = (GC.CollectionCount(0), GC.GetTotalAllocatedBytes(precise: true));
                },
            });
        long loopAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocBefore;
        long loopGen0 = GC.CollectionCount(0) - gen0Before;
        double loopSeconds = history.Epochs[1].Duration.TotalSeconds;

        // The same steps, instrumented: twice (the first pass lets the JIT's tiering settle), the second reported.
        var network = workload.CreateInitializedNetwork();
        var layers = network.Layers;
        var phases = new List<string> { "gather (index_select)" };
        phases.AddRange(layers.Select((l, i) => $"forward {i} {l.Name}"));
        phases.Add("loss forward");
        phases.AddRange(layers.Select((l, i) => $"backward {i} {l.Name}").Reverse());
        phases.Add("gradient-norm check");
        phases.Add("Adam step");
        int stepCount = (n + batch - 1) / batch;
        var ticks = Enumerable.Range(0, phases.Count).Select(_ => new long[stepCount]).ToArray();
        var bytes = new long[phases.Count];
        var optimizer = new Adam(network.Parameters, 1e-3f);
        InstrumentedEpoch(network, optimizer, data, order, batch, ticks, bytes);
        Array.Clear(bytes);
        int steps = InstrumentedEpoch(network, optimizer, data, order, batch, ticks, bytes);

        double gemmMicros = IsolatedGemmMicros(layers, batch);
        double tickMicros = 1e6 / Stopwatch.Frequency;
        double loopMicros = loopSeconds * 1e6 / steps;
        var rows = new JsonArray();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{workload.Id} profile, {settings.Threads} thread(s), epoch 0: {steps} steps of {batch}. JIT settled after {settle["seconds"]:F1} s of warm-up ({settle["methods_compiled"]} methods compiled).");
        text.AppendLine(CultureInfo.InvariantCulture, $"TrainingLoop.Fit (uninstrumented, second pass): {loopSeconds:F3} s = {n / loopSeconds:N0} samples/s = {loopMicros:F1} µs/step; allocated {loopAllocated / (double)steps:F0} B/step, {loopGen0} gen-0 GCs.");
        text.AppendLine();
        text.AppendLine("| phase | mean µs/step | median µs/step | share of medians | bytes allocated/step |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        double[] mean = ticks.Select(p => p.Sum() * tickMicros / steps).ToArray();
        double[] median = ticks.Select(p => Stats.Median(p.Select(v => (double)v)) * tickMicros).ToArray();
        double total = mean.Sum(), totalMedian = median.Sum();
        for (int i = 0; i < phases.Count; i++)
        {
            rows.Add(new JsonObject { ["phase"] = phases[i], ["us_per_step_mean"] = mean[i], ["us_per_step_median"] = median[i], ["bytes_per_step"] = (double)bytes[i] / steps });
            text.AppendLine(CultureInfo.InvariantCulture, $"| {phases[i]} | {mean[i]:F2} | {median[i]:F2} | {median[i] / totalMedian:P0} | {(double)bytes[i] / steps:F0} |");
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"| total (instrumented) | {total:F2} | {totalMedian:F2} | 100 % | {(double)bytes.Sum() / steps:F0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| the step's GEMM calls alone (isolated, same shapes, full batch) | {gemmMicros:F2} | | {gemmMicros / totalMedian:P0} | |");
        Console.WriteLine(text.ToString());
        return new JsonObject
        {
            ["framework"] = "engine",
            ["workload"] = workload.Id,
            ["threads"] = settings.Threads,
            ["profile"] = new JsonObject
            {
                ["steps"] = steps,
                ["jit_settle"] = settle,
                ["loop_epoch_s"] = loopSeconds,
                ["loop_us_per_step"] = loopMicros,
                ["loop_allocated_bytes_per_step"] = (double)loopAllocated / steps,
                ["loop_gen0_collections"] = loopGen0,
                ["instrumented_us_per_step"] = total,
                ["instrumented_median_us_per_step"] = totalMedian,
                ["isolated_gemm_us_per_step"] = gemmMicros,
                ["phases"] = rows,
            },
            ["text"] = text.ToString(),
        };
    }

    /// <summary>One epoch of <see cref="TrainingLoop.Fit"/>'s steps with every phase timed; returns the step count.</summary>
    private static int InstrumentedEpoch(Sequential network, Optimizer optimizer, WorkloadDataset data, int[] order, int batch, long[][] ticks, long[] bytes)
    {
        network.ComputeInputGradient = false;
        var layers = network.Layers;
        var loss = new CrossEntropyLoss();
        var b = new Batch();
        int steps = 0;
        using var cursor = new EpochOrderSource(data, [order]).OpenCursor(batch, new Rng(0));
        while (true)
        {
            int k = 0;
            long t = Stopwatch.GetTimestamp(), a = GC.GetAllocatedBytesForCurrentThread();
            void Mark(ref int phase)
            {
                long now = Stopwatch.GetTimestamp(), an = GC.GetAllocatedBytesForCurrentThread();
                ticks[phase][steps] = now - t;
                bytes[phase] += an - a;
                phase++;
                t = Stopwatch.GetTimestamp();
                a = GC.GetAllocatedBytesForCurrentThread();
            }
            if (!cursor.MoveNext(b)) return steps;
            Mark(ref k);
            Tensor x = b.Features;
            for (int i = 0; i < layers.Count; i++)
            {
                x = layers[i].Forward(x, training: true);
                Mark(ref k);
            }
            if (!float.IsFinite(loss.Forward(x, b.Targets))) throw new InvalidOperationException("The loss diverged.");
            Mark(ref k);
            Tensor? g = loss.Backward();
            for (int i = layers.Count - 1; i >= 0 && g is not null; i--)
            {
                g = layers[i].Backward(g);
                Mark(ref k);
            }
            k = ticks.Length - 2;
            if (!double.IsFinite(GradientClipping.GlobalNorm(network.Parameters))) throw new InvalidOperationException("The gradients diverged.");
            Mark(ref k);
            optimizer.Step();
            Mark(ref k);
            steps++;
        }
    }

    /// <summary>µs per step spent in the Linear layers' three GEMMs (forward, dW, dX when needed), measured alone.</summary>
    private static double IsolatedGemmMicros(IReadOnlyList<Layer> layers, int batch)
    {
        var linears = layers.OfType<Linear>().ToArray();
        int max = linears.Max(l => Math.Max(l.InFeatures, l.OutFeatures));
        float[] x = WorkloadData.SymArray(5, batch * max), y = new float[batch * max], dx = new float[batch * max];
        float[] w = WorkloadData.SymArray(6, max * max), dw = new float[max * max];
        void Step()
        {
            for (int i = 0; i < linears.Length; i++)
            {
                int inF = linears[i].InFeatures, outF = linears[i].OutFeatures;
                Gemm.Multiply(false, true, batch, outF, inF, 1f, x, inF, w, inF, 0f, y, outF);
                Gemm.Multiply(true, false, outF, inF, batch, 1f, y, outF, x, inF, 0f, dw, inF);
                if (i > 0) Gemm.Multiply(false, false, batch, inF, outF, 1f, y, outF, w, inF, 0f, dx, inF);
            }
        }
        for (int i = 0; i < 200; i++) Step();
        int reps = 2000;
        long t0 = Stopwatch.GetTimestamp();
        for (int i = 0; i < reps; i++) Step();
        return Stopwatch.GetElapsedTime(t0).TotalMicroseconds / reps;
    }
}
