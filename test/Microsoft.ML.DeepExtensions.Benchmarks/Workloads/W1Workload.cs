namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>W1: MLP 64-256-128-10 (50,826 parameters), batch 256.</summary>
public sealed class W1Workload : MlpWorkload
{
    /// <inheritdoc />
    public override string Id => "W1";

    /// <inheritdoc />
    public override string Description => "MLP 64-256-128-10, batch 256";

    /// <inheritdoc />
    public override int[] HiddenLayerSizes => [256, 128];

    /// <inheritdoc />
    public override int BatchSize => 256;

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.310;

    /// <inheritdoc />
    public override double? TrainTarget => 1.2;

    /// <inheritdoc />
    public override double? InferenceTarget => 1.0;
}
