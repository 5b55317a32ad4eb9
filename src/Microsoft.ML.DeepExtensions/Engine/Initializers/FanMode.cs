namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>Which fan a variance-scaling initializer divides by (PyTorch <c>mode</c>, Keras <c>mode</c>).</summary>
public enum FanMode
{
    /// <summary><c>fan_in</c>: preserves the variance of activations in the forward pass (default).</summary>
    FanIn,

    /// <summary><c>fan_out</c>: preserves the variance of gradients in the backward pass.</summary>
    FanOut,

    /// <summary><c>(fan_in + fan_out) / 2</c>, the Glorot compromise (Keras <c>fan_avg</c>).</summary>
    FanAvg,
}
