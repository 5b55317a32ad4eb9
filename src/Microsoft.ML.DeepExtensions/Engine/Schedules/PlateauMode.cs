namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>Whether <see cref="ReduceLROnPlateau"/> waits for the monitored metric to fall or to rise.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss). PyTorch <c>mode='min'</c>.</summary>
    Min,

    /// <summary>Higher is better (an accuracy). PyTorch <c>mode='max'</c>.</summary>
    Max,
}
