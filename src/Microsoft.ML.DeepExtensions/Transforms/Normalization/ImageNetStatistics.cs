namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// The per-channel mean and standard deviation of the ImageNet training images (RGB order, pixel values scaled to
/// [0, 1]), the statistics torchvision's pretrained models expect:
/// <c>mlContext.Transforms.Standardize("Image", "Image", ImageNetStatistics.Mean, ImageNetStatistics.StandardDeviation, NormalizationScope.PerChannel)</c>
/// after <c>ExtractPixels(scaleImage: 1f / 255)</c> (whose default channel order is R, G, B).
/// </summary>
public static class ImageNetStatistics
{
    /// <summary>The channel means, R, G, B: 0.485, 0.456, 0.406 (a new array on every call).</summary>
    public static float[] Mean => [0.485f, 0.456f, 0.406f];

    /// <summary>The channel standard deviations, R, G, B: 0.229, 0.224, 0.225 (a new array on every call).</summary>
    public static float[] StandardDeviation => [0.229f, 0.224f, 0.225f];
}
