namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Mirrors the image top–bottom with probability <c>p</c> (torchvision <c>RandomVerticalFlip</c>, Keras
/// <c>RandomFlip("vertical")</c>): <c>out[c, y, x] = in[c, H−1−y, x]</c>.
/// </summary>
/// <remarks><b>Draws:</b> one <see cref="Rng.NextFloat"/> <c>u</c>; flips when <c>u &lt; p</c>.</remarks>
public sealed class RandomVerticalFlip : ImageAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    /// <param name="p">The probability of flipping, in [0, 1]. Default 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public RandomVerticalFlip(float p = 0.5f) => P = CheckProbability(p, nameof(p));

    /// <summary>The probability of flipping.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (rng.NextFloat() < P) ImageGeometry.FlipVertical(image, channels, height, width);
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomVerticalFlip(p: {P})";
}
