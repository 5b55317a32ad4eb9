namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>W1s: MLP 64-64-10 (4,810 parameters), batch 32: a small model where per-step overhead dominates.</summary>
public sealed class W1sWorkload : MlpWorkload
{
    /// <inheritdoc />
    public override string Id => "W1s";

    /// <inheritdoc />
    public override string Description => "MLP 64-64-10, batch 32";

    /// <inheritdoc />
    public override int[] HiddenLayerSizes => [64];

    /// <inheritdoc />
    public override int BatchSize => 32;

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.319;

    /// <inheritdoc />
    public override double? TrainTarget => 3.0;
}
