namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>Which values of a column share one set of statistics (one mean and standard deviation, or one minimum and maximum).</summary>
public enum NormalizationScope
{
    /// <summary>
    /// Every slot of the vector has its own statistics (the default): tabular feature vectors, where each slot is a
    /// different measurement. A column of D values has D statistics.
    /// </summary>
    PerSlot,

    /// <summary>
    /// Every channel of an image has its own statistics, shared by all its pixels (torchvision's <c>Normalize</c>):
    /// the column holds images in planar <c>(C, H, W)</c> order, as <c>ExtractPixels</c> produces them by default. The
    /// channel count C comes from the column's dimensions or from the options' <c>ChannelCount</c>.
    /// </summary>
    PerChannel,
}
