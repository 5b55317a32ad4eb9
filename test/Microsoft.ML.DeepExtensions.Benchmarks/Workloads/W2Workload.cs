using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Networks;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// W2: LeNet-5-like CNN on 10,000 grey 28×28 images (61,706 parameters), batch 64: the engine's
/// <see cref="ConvNets.LeNet5"/>, which is exactly WORKLOADS.md's <c>Conv2d(1,6,5,pad=2) → ReLU → MaxPool2 →
/// Conv2d(6,16,5) → ReLU → MaxPool2 → flatten (400) → Linear(400,120) → ReLU → Linear(120,84) → ReLU → Linear(84,10)</c>.
/// </summary>
public sealed class W2Workload : NetworkWorkload
{
    /// <inheritdoc />
    public override string Id => "W2";

    /// <inheritdoc />
    public override string Description => "LeNet-5 1x28x28, batch 64";

    /// <inheritdoc />
    public override int BatchSize => 64;

    /// <inheritdoc />
    public override int Batch1Rows => 1_000;

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.316;

    /// <inheritdoc />
    public override WorkloadDataset CreateData() => WorkloadData.LeNet();

    /// <inheritdoc />
    protected override Sequential BuildNetwork() => ConvNets.LeNet5(inChannels: 1, height: 28, width: 28, classes: 10);
}
