namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>How <see cref="OneCycleLR"/> moves between two rates (PyTorch <c>anneal_strategy</c>).</summary>
public enum AnnealStrategy
{
    /// <summary><c>end + (start - end)·(1 + cos(π·pct)) / 2</c> (PyTorch <c>'cos'</c>, the default).</summary>
    Cosine,

    /// <summary><c>start + (end - start)·pct</c> (PyTorch <c>'linear'</c>).</summary>
    Linear,
}
