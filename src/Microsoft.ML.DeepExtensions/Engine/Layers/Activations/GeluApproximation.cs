namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>How <see cref="GELU"/> evaluates the Gaussian CDF (PyTorch's <c>approximate</c> argument).</summary>
public enum GeluApproximation
{
    /// <summary>Exact: <c>Φ(x) = (1 + erf(x/√2)) / 2</c> (PyTorch <c>approximate='none'</c>, the default).</summary>
    None,

    /// <summary>Tanh form: <c>Φ(x) ≈ (1 + tanh(√(2/π)·(x + 0.044715·x³))) / 2</c> (PyTorch <c>approximate='tanh'</c>, BERT/GPT-2).</summary>
    Tanh,
}
