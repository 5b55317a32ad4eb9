using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// The recurrent workloads (W3, W3g): 5,000 sequences of 50 steps × 32 features, 10 classes; one recurrent layer of
/// hidden size 128 whose output at the last step (<c>h_T</c>) feeds <c>Linear(128, 10)</c>; batch 64; batch-1 inference on
/// the first 500 rows (WORKLOADS.md §2-§5). Every recurrent parameter starts from <c>U(-1/√128, 1/√128)</c>.
/// </summary>
public abstract class RecurrentWorkload : NetworkWorkload
{
    /// <summary>Hidden size of the recurrent layer.</summary>
    public const int Hidden = 128;

    /// <inheritdoc />
    public override int BatchSize => 64;

    /// <inheritdoc />
    public override int Batch1Rows => 500;

    /// <inheritdoc />
    public override double? TrainTarget => 1.0;

    /// <inheritdoc />
    public override double? InferenceTarget => 1.0;

    /// <inheritdoc />
    public override WorkloadDataset CreateData() => WorkloadData.Sequences();

    /// <summary>The recurrent layer, <c>(N, 50, 32) → (N, 50, 128)</c>.</summary>
    protected abstract RecurrentLayer CreateRecurrentLayer();

    /// <inheritdoc />
    protected override Sequential BuildNetwork() =>
        new(CreateRecurrentLayer(), new SequencePooling(SequencePoolingMode.Last), new Linear(Hidden, 10));

    /// <inheritdoc />
    protected override double? InitBound(Layer layer, Parameter parameter) =>
        layer is RecurrentLayer ? 1.0 / Math.Sqrt(Hidden) : base.InitBound(layer, parameter);
}

/// <summary>W3: <c>LSTM(32, 128)</c> → last step → <c>Linear(128, 10)</c> (84,234 parameters), batch 64.</summary>
public sealed class W3Workload : RecurrentWorkload
{
    /// <inheritdoc />
    public override string Id => "W3";

    /// <inheritdoc />
    public override string Description => "LSTM 50x32 -> 128, last step, batch 64";

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.294;

    /// <inheritdoc />
    protected override RecurrentLayer CreateRecurrentLayer() => new LSTM(32, Hidden);
}

/// <summary>W3g: <c>GRU(32, 128)</c> → last step → <c>Linear(128, 10)</c> (63,498 parameters), batch 64.</summary>
public sealed class W3gWorkload : RecurrentWorkload
{
    /// <inheritdoc />
    public override string Id => "W3g";

    /// <inheritdoc />
    public override string Description => "GRU 50x32 -> 128, last step, batch 64";

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.292;

    /// <inheritdoc />
    protected override RecurrentLayer CreateRecurrentLayer() => new GRU(32, Hidden);
}
