using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// A copy of a network's parameters and buffers (e.g. BatchNorm running statistics), taken and restored
/// without allocation after construction. Early stopping keeps the best epoch's weights in one.
/// </summary>
public sealed class WeightSnapshot
{
    private readonly Tensor[] _tensors;
    private readonly float[][] _copies;

    /// <summary>Allocates a snapshot sized for <paramref name="network"/> and captures its current state.</summary>
    public WeightSnapshot(Layer network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _tensors = network.Parameters.Select(p => p.Value).Concat(network.Buffers).ToArray();
        _copies = _tensors.Select(t => new float[t.Length]).ToArray();
        Capture();
    }

    /// <summary>Copies the network's current parameters and buffers into the snapshot.</summary>
    public void Capture()
    {
        for (int i = 0; i < _tensors.Length; i++) _tensors[i].Span.CopyTo(_copies[i]);
    }

    /// <summary>Copies the snapshot back into the network.</summary>
    public void Restore()
    {
        for (int i = 0; i < _tensors.Length; i++) _copies[i].CopyTo(_tensors[i].Span);
    }
}
