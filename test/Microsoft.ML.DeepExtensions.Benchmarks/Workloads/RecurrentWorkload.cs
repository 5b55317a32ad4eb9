using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// The recurrent workloads (W3 LSTM, W3g GRU): 5,000 sequences of 50 steps × 32 features, 10 classes, batch 64.
/// The network is <c>RNN(32, 128, 1 layer, batch-first) → last time step (= h_T) → Linear(128, 10)</c>: the engine's
/// <see cref="RecurrentLayer"/>, then <see cref="SequencePooling"/> in <see cref="SequencePoolingMode.Last"/> mode
/// (PyTorch's <c>output[:, -1]</c>), then <see cref="Linear"/>.
/// </summary>
public abstract class RecurrentWorkload : NetworkWorkload
{
    /// <summary>Features per time step.</summary>
    public const int InputSize = 32;

    /// <summary>Hidden state size.</summary>
    public const int HiddenSize = 128;

    /// <inheritdoc />
    public override int BatchSize => 64;

    /// <inheritdoc />
    public override int Batch1Rows => 500;

    /// <inheritdoc />
    public override WorkloadDataset CreateData() => WorkloadData.Sequences();

    /// <summary>The recurrent layer, <c>(N, 50, 32) → (N, 50, 128)</c>.</summary>
    protected abstract RecurrentLayer CreateRecurrentLayer();

    /// <inheritdoc />
    protected override Sequential BuildNetwork() => new(
        CreateRecurrentLayer(),
        new SequencePooling(SequencePoolingMode.Last),
        new Linear(HiddenSize, 10));
}
