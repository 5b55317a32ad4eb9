namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Mirrors the image left–right with probability <c>p</c> (torchvision <c>RandomHorizontalFlip</c>, Keras
/// <c>RandomFlip("horizontal")</c>): <c>out[c, y, x] = in[c, y, W−1−x]</c>.
/// </summary>
/// <remarks><b>Draws:</b> one <see cref="Rng.NextFloat"/> <c>u</c>; flips when <c>u &lt; p</c>.</remarks>
public sealed class RandomHorizontalFlip : ImageAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    /// <param name="p">The probability of flipping, in [0, 1]. Default 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    public RandomHorizontalFlip(float p = 0.5f) => P = CheckProbability(p, nameof(p));

    /// <summary>The probability of flipping.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (rng.NextFloat() < P) ImageGeometry.FlipHorizontal(image, channels, height, width);
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomHorizontalFlip(p: {P})";
}
