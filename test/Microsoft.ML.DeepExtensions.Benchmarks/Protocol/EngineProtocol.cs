using System.Diagnostics;
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
/// WORKLOADS.md §4-§5 on the engine: the training loop (<see cref="TrainingLoop.Fit"/>) with Adam (lr 1e-3) and
/// <see cref="CrossEntropyLoss"/> over the anchors' data, initial weights and epoch orders; then inference passes.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Warm-up (not timed): a throw-away network trains 50 steps in epoch-0 order, then runs 20 inference batches
/// at each inference batch size; repeated until the JIT has settled (<see cref="JitWarmup"/>).</item>
/// <item>First-batch loss: the fresh network's loss on epoch 0's first batch, before any update.</item>
/// <item>Timed: the fresh network trains epochs 0, 1, 2 in one <see cref="TrainingLoop.Fit"/> call; each epoch's
/// wall time comes from its <see cref="EpochMetrics.Duration"/> (gather, forward, loss, backward, the loop's
/// gradient-norm check and the Adam step). Train samples/s = N / median epoch time.</item>
/// <item>Inference: contiguous batches in data order (copied into the input tensor), <c>training: false</c>;
/// one untimed pass, then three timed passes; samples/s = rows / median pass time.</item>
/// </list>
/// </remarks>
public static class EngineProtocol
{
    /// <summary>Warm-up training steps.</summary>
    public const int WarmupSteps = 50;

    /// <summary>Timed inference passes (after one untimed pass).</summary>
    public const int InferenceRepetitions = 3;

    /// <summary>Runs the protocol and returns the result in the anchors' JSON layout.</summary>
    public static JsonObject Run(NetworkWorkload workload, RunSettings settings)
    {
        Parallelism.MaxDegreeOfParallelism = settings.Threads;
        var wall = Stopwatch.StartNew();
        var data = workload.CreateData();
        int n = data.Rows, batch = workload.BatchSize;
        var orders = Enumerable.Range(0, settings.Epochs).Select(e => WorkloadData.EpochPermutation(n, e)).ToArray();
        var result = new JsonObject
        {
            ["framework"] = "engine",
            ["workload"] = workload.Id,
            ["threads"] = settings.Threads,
            ["data_checksum"] = ResultJson.Checksum(WorkloadData.Checksum(data)),
        };

        // Warm-up: throw-away network, 50 steps in epoch-0 order, then short inference passes; repeated until the
        // JIT has settled (see JitWarmup).
        var warmClock = Stopwatch.StartNew();
        var warm = workload.CreateInitializedNetwork();
        var warmOptimizer = new Adam(warm.Parameters, 1e-3f);
        var input = new Tensor(0);
        result["jit_settle"] = JitWarmup.Settle(() =>
        {
            TrainingLoop.Fit(warm, new CrossEntropyLoss(), warmOptimizer,
                new EpochOrderSource(data, [orders[0]], WarmupSteps * batch), new TrainingOptions { Epochs = 1, BatchSize = batch });
            foreach (int b in workload.InferenceBatches)
                InferencePass(warm, data, b, Math.Min(n, 20 * b), input);
        }, once: settings.Cold);
        result["warmup_s"] = warmClock.Elapsed.TotalSeconds;

        // Timed training: fresh network, epochs 0..E-1.
        var network = workload.CreateInitializedNetwork(out var initTable);
        result["n_params"] = network.ParameterCount;
        result["init_table"] = initTable;
        double firstLoss = FirstBatchLoss(network, data, orders[0], batch);
        var history = TrainingLoop.Fit(network, new CrossEntropyLoss(), new Adam(network.Parameters, 1e-3f),
            new EpochOrderSource(data, orders), new TrainingOptions { Epochs = settings.Epochs, BatchSize = batch });
        double[] epochSeconds = history.Epochs.Select(e => e.Duration.TotalSeconds).ToArray();
        result["train"] = new JsonObject
        {
            ["batch"] = batch,
            ["epochs"] = settings.Epochs,
            ["epoch_s"] = ResultJson.Array(epochSeconds),
            ["samples_per_s_each"] = ResultJson.Array(epochSeconds.Select(t => n / t)),
            ["samples_per_s"] = n / Stats.Median(epochSeconds),
            ["first_batch_loss"] = firstLoss,
            ["epoch_mean_loss"] = ResultJson.Array(history.Epochs.Select(e => e.Loss)),
            ["final_loss"] = history.Epochs[^1].Loss,
            ["train_acc"] = Accuracy(network, data),
        };

        // Inference: 1 untimed + 3 timed passes per batch size.
        var infer = new JsonObject();
        foreach (int b in workload.InferenceBatches)
        {
            int rows = b > 1 ? n : workload.Batch1Rows;
            InferencePass(network, data, b, rows, input);
            var seconds = new double[InferenceRepetitions];
            for (int r = 0; r < seconds.Length; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                InferencePass(network, data, b, rows, input);
                seconds[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            }
            infer[$"{b}"] = new JsonObject
            {
                ["rows"] = rows,
                ["pass_s"] = ResultJson.Array(seconds),
                ["samples_per_s"] = rows / Stats.Median(seconds),
            };
        }
        result["infer"] = infer;
        result["wall_s"] = wall.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>Forward passes (inference mode) over rows <c>0 .. rows-1</c> in batches of <paramref name="batch"/>.</summary>
    public static void InferencePass(Layer network, WorkloadDataset data, int batch, int rows, Tensor input)
    {
        int d = data.RowLength;
        for (int s = 0; s < rows; s += batch)
        {
            int count = Math.Min(batch, rows - s);
            input.ResizeBatch(count, data.SampleShape);
            data.X.AsSpan(s * d, count * d).CopyTo(input.Span);
            network.Forward(input, training: false);
        }
    }

    /// <summary>The loss of the first batch of <paramref name="order"/> before any update.</summary>
    public static double FirstBatchLoss(Layer network, WorkloadDataset data, int[] order, int batch)
    {
        var source = new EpochOrderSource(data, [order]);
        var first = new Batch();
        source.Gather(order.AsSpan(0, Math.Min(batch, order.Length)), first);
        return new CrossEntropyLoss().Forward(network.Forward(first.Features, training: true), first.Targets);
    }

    /// <summary>The fraction of rows whose arg-max logit is the label (inference mode, batches of 1024).</summary>
    public static double Accuracy(Layer network, WorkloadDataset data)
    {
        var input = new Tensor(0);
        int d = data.RowLength, correct = 0;
        for (int s = 0; s < data.Rows; s += 1024)
        {
            int count = Math.Min(1024, data.Rows - s);
            input.ResizeBatch(count, data.SampleShape);
            data.X.AsSpan(s * d, count * d).CopyTo(input.Span);
            var logits = network.Forward(input, training: false);
            int classes = logits.RowLength;
            for (int i = 0; i < count; i++)
            {
                var row = logits.Span.Slice(i * classes, classes);
                int best = 0;
                for (int c = 1; c < classes; c++)
                    if (row[c] > row[best]) best = c;
                if (best == data.Y[s + i]) correct++;
            }
        }
        return (double)correct / data.Rows;
    }
}
