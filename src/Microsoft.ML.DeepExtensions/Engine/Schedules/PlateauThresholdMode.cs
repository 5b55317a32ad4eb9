namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>How <see cref="ReduceLROnPlateau"/> decides that a metric improved on the best value so far.</summary>
public enum PlateauThresholdMode
{
    /// <summary>Improvement beyond <c>best·(1 ∓ threshold)</c> (PyTorch <c>threshold_mode='rel'</c>, the default).</summary>
    Relative,

    /// <summary>Improvement beyond <c>best ∓ threshold</c> (PyTorch <c>threshold_mode='abs'</c>).</summary>
    Absolute,
}
