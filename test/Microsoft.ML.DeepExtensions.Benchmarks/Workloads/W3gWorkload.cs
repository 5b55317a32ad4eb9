using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>W3g: <c>GRU(32, 128)</c> over 50 steps, last step → <c>Linear(128, 10)</c> (63,498 parameters), batch 64.</summary>
public sealed class W3gWorkload : RecurrentWorkload
{
    /// <inheritdoc />
    public override string Id => "W3g";

    /// <inheritdoc />
    public override string Description => "GRU 50x32 -> 128, last step -> Linear(128,10), batch 64";

    /// <inheritdoc />
    public override double ExpectedFirstBatchLoss => 2.292;

    /// <inheritdoc />
    protected override RecurrentLayer CreateRecurrentLayer() => new GRU(InputSize, HiddenSize);
}
