using System.Text.Json.Nodes;
using Microsoft.ML.DeepExtensions.Benchmarks.Harness;
using Microsoft.ML.DeepExtensions.Benchmarks.Protocol;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// The tabular MLP workloads (W1, W1s): 50,000 × 64 rows, 10 classes, <c>Linear → ReLU</c> per hidden layer, then
/// <c>Linear(·, 10)</c>. Besides the engine they run through the ML.NET trainer
/// (<c>MulticlassClassification.Trainers.Mlp</c>, implementation <c>mlnet</c>), and scikit-learn's
/// <c>MLPClassifier</c> (float32) is a second anchor in the full harness.
/// </summary>
public abstract class MlpWorkload : NetworkWorkload
{
    /// <summary>The hidden layer sizes.</summary>
    public abstract int[] HiddenLayerSizes { get; }

    /// <inheritdoc />
    public override int Batch1Rows => 5_000;

    /// <inheritdoc />
    public override IReadOnlyList<string> Implementations => [.. base.Implementations, "mlnet"];

    /// <inheritdoc />
    public override WorkloadDataset CreateData() => WorkloadData.Tabular();

    /// <inheritdoc />
    protected override Sequential BuildNetwork()
    {
        var layers = new List<Layer>();
        int width = 64;
        foreach (int h in HiddenLayerSizes)
        {
            layers.Add(new Linear(width, h));
            layers.Add(new ReLU());
            width = h;
        }
        layers.Add(new Linear(width, 10));
        return new Sequential(layers);
    }

    /// <inheritdoc />
    public override JsonObject Run(string implementation, RunSettings settings) =>
        implementation == "mlnet" ? MlNetProtocol.Run(this, settings) : base.Run(implementation, settings);

    /// <summary>The torch configurations, plus <c>bench_sklearn.py</c> (float32) when the harness includes scikit-learn.</summary>
    public override IReadOnlyList<AnchorCommand> Anchors(int threads, HarnessSettings settings)
    {
        var anchors = base.Anchors(threads, settings).ToList();
        if (settings.IncludeSklearn)
            anchors.Add(new("sklearn", $"f32-t{threads}", threads, "bench_sklearn.py",
                ["--workload", Id, "--threads", $"{threads}", "--dtype", "float32"], AnchorCommand.StrongestBlasEnvironment()));
        return anchors;
    }
}
