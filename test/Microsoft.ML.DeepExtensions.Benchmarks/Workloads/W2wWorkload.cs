using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// W2w: a wide CNN on 5,000 RGB 32×32 images (94,538 parameters), batch 64: <c>Conv2d(3,32,3,pad=1) → ReLU →
/// MaxPool2 → Conv2d(32,64,3,pad=1) → ReLU → MaxPool2 → Conv2d(64,128,3,pad=1) → ReLU → GlobalAvgPool2d →
/// Linear(128,10)</c>, built from the engine's layers. Most of its time is in the convolutions (im2col + GEMM).
/// </summary>
public sealed class W2wWorkload : NetworkWorkload
{
    /// <inheritdoc />
    public override string Id => "W2w";

    /// <inheritdoc />
    public override string Description => "wide CNN 3x32x32 (32-64-128 channels), batch 64";

    /// <inheritdoc />
    public override int BatchSize => 64;

    /// <inheritdoc />
    public override int Batch1Rows => 500;

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.300;

    /// <inheritdoc />
    public override WorkloadDataset CreateData() => WorkloadData.WideCnn();

    /// <inheritdoc />
    protected override Sequential BuildNetwork() => new(
        new Conv2d(3, 32, 3, padding: 1), new ReLU(), new MaxPool2d(2),
        new Conv2d(32, 64, 3, padding: 1), new ReLU(), new MaxPool2d(2),
        new Conv2d(64, 128, 3, padding: 1), new ReLU(),
        new GlobalAvgPool2d(),
        new Linear(128, 10));
}
