using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>W3: <c>LSTM(32, 128)</c> over 50 steps, last step → <c>Linear(128, 10)</c> (84,234 parameters), batch 64.</summary>
public sealed class W3Workload : RecurrentWorkload
{
    /// <inheritdoc />
    public override string Id => "W3";

    /// <inheritdoc />
    public override string Description => "LSTM 50x32 -> 128, last step -> Linear(128,10), batch 64";

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.294;

    /// <inheritdoc />
    protected override RecurrentLayer CreateRecurrentLayer() => new LSTM(InputSize, HiddenSize);
}
