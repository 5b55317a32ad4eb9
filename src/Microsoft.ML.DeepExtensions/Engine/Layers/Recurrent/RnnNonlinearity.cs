namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>The activation of an Elman <see cref="RNN"/> (PyTorch <c>nonlinearity</c>).</summary>
public enum RnnNonlinearity
{
    /// <summary><c>tanh</c> (the default).</summary>
    Tanh,

    /// <summary><c>max(x, 0)</c>.</summary>
    ReLU,
}
