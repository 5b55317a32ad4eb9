using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Harness;
using Microsoft.ML.DeepExtensions.Benchmarks.Protocol;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// A network workload (W1, W1s, W2, W2w, W3, W3g; later W4): a data set, a network with WORKLOADS.md's deterministic
/// initialization, a batch size; trained with Adam and cross-entropy and run for inference by
/// <see cref="EngineProtocol"/>, against <c>bench_torch.py</c> at 1 thread and its three 2-thread configurations.
/// </summary>
public abstract class NetworkWorkload : Workload
{
    /// <summary>The training batch size (also the batched inference size).</summary>
    public abstract int BatchSize { get; }

    /// <summary>Rows used for batch-1 inference (the first rows of the data set).</summary>
    public abstract int Batch1Rows { get; }

    /// <summary>PyTorch's first-batch loss from ANCHORS.md, for the sanity check.</summary>
    public abstract double ExpectedFirstBatchLoss { get; }

    /// <summary>Training-throughput target, as a ratio to the best anchor configuration (null: none).</summary>
    public virtual double? TrainTarget => null;

    /// <summary>Inference-throughput target at batch 1 and at the batch size (null: none).</summary>
    public virtual double? InferenceTarget => null;

    /// <summary>The batch sizes of the inference measurement: the training batch size, then 1.</summary>
    public int[] InferenceBatches => [BatchSize, 1];

    /// <summary>Generates the data set (WORKLOADS.md §2).</summary>
    public abstract WorkloadDataset CreateData();

    /// <summary>Builds the network (WORKLOADS.md §3); <see cref="CreateInitializedNetwork"/> then sets its weights.</summary>
    protected abstract Sequential BuildNetwork();

    /// <summary>
    /// The initialization rule of parameter <paramref name="parameter"/> of <paramref name="layer"/>: the uniform bound
    /// <c>b</c> (weights become <c>sym(7000+idx, i)·b</c>), or null for zeros. Default (WORKLOADS.md §3): Linear and
    /// Conv2d weight and bias <c>b = 1/sqrt(fan_in)</c> (<c>in_features</c>, or <c>in_ch/groups·kh·kw</c>); LSTM, GRU and
    /// RNN <c>weight_ih, weight_hh, bias_ih, bias_hh</c> <c>b = 1/sqrt(hidden_size)</c>; override for other layers.
    /// </summary>
    /// <exception cref="NotSupportedException">The layer has no rule here.</exception>
    protected virtual double? InitBound(Layer layer, Parameter parameter) => layer switch
    {
        Linear linear => 1.0 / Math.Sqrt(linear.InFeatures),
        Conv2d conv => 1.0 / Math.Sqrt(conv.InChannels / conv.Groups * conv.KernelSize.Height * conv.KernelSize.Width),
        RecurrentLayer rnn => 1.0 / Math.Sqrt(rnn.HiddenSize),
        _ => throw new NotSupportedException($"{Id}: no deterministic init rule for {layer.Name}.{parameter.Name}."),
    };

    /// <summary>A fresh network with WORKLOADS.md's deterministic initialization (parameter idx = PyTorch order).</summary>
    public Sequential CreateInitializedNetwork() => CreateInitializedNetwork(out _);

    /// <summary>A fresh initialized network and its init table (idx, name, shape, bound) for the result JSON.</summary>
    public Sequential CreateInitializedNetwork(out JsonArray initTable)
    {
        var network = BuildNetwork();
        initTable = [];
        int idx = 0;
        foreach (var layer in network.Layers)
        {
            foreach (var p in layer.Parameters)
            {
                double? bound = InitBound(layer, p);
                if (bound is double b) WorkloadData.InitUniform(p.Value.Span, idx, b);
                else p.Value.Clear();
                initTable.Add(new JsonObject
                {
                    ["idx"] = idx,
                    ["name"] = p.Name,
                    ["shape"] = new JsonArray(p.Value.Shape.ToArray().Select(d => (JsonNode)d).ToArray()),
                    ["init"] = bound is null ? "zeros" : "uniform",
                    ["bound"] = bound is double bb ? (float)bb : 0f,
                });
                idx++;
            }
        }
        return network;
    }

    /// <summary>
    /// <c>engine</c>: <see cref="EngineProtocol"/> after the JIT has settled (steady state, the reported figure);
    /// <c>engine-cold</c>: the same with exactly the anchors' warm-up (50 steps), so the JIT's tiering is still running;
    /// <c>engine-cold-notiered</c>: the anchors' warm-up in a process with tiered compilation off
    /// (<c>DOTNET_TieredCompilation=0</c>, set by the harness), the setting recommended for training applications: every
    /// method is compiled fully optimized at its first call.
    /// </summary>
    public override IReadOnlyList<string> Implementations => ["engine", "engine-cold", "engine-cold-notiered"];

    /// <inheritdoc />
    public override JsonObject Run(string implementation, RunSettings settings) => implementation switch
    {
        "engine" => EngineProtocol.Run(this, settings),
        "engine-cold" or "engine-cold-notiered" => EngineProtocol.Run(this, settings with { Cold = true }),
        _ => throw UnknownImplementation(implementation),
    };

    /// <summary>bench_torch.py: <c>t1</c> at one thread; <c>t2</c>, <c>t2p</c> (passive OpenMP wait) and <c>t2b1</c> (OpenBLAS 1 thread) at two.</summary>
    public override IReadOnlyList<AnchorCommand> Anchors(int threads, HarnessSettings settings)
    {
        var env = AnchorCommand.StrongestBlasEnvironment();
        if (threads == 1)
            return [new("torch", "t1", 1, "bench_torch.py", ["--workload", Id, "--threads", "1"], env)];
        var passive = new Dictionary<string, string?>(env) { ["OMP_WAIT_POLICY"] = "PASSIVE" };
        var all = new List<AnchorCommand>
        {
            new("torch", "t2", threads, "bench_torch.py", ["--workload", Id, "--threads", $"{threads}"], env),
            new("torch", "t2p", threads, "bench_torch.py", ["--workload", Id, "--threads", $"{threads}"], passive),
            new("torch", "t2b1", threads, "bench_torch.py", ["--workload", Id, "--threads", $"{threads}", "--blas-threads", "1"], env),
        };
        return all.Where(a => settings.TorchConfigs.Contains(a.Config)).ToArray();
    }

    /// <inheritdoc />
    public override void Summarize(ResultSet results, BenchReport report) => NetworkSummary.Add(this, results, report);
}
