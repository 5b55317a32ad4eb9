namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// A random crop of the image padded by <c>padding</c> pixels of <c>fill</c> on every side, back to its own size
/// (torchvision <c>RandomCrop(size=(H, W), padding=p)</c> with constant padding): a random translation by up to
/// <c>p</c> pixels in each direction, <c>out[c, y, x] = in[c, y + dy, x + dx]</c> (fill outside) with
/// <c>dy, dx</c> uniform integers in <c>[−p, p]</c>.
/// </summary>
/// <remarks><b>Draws:</b> <c>dy = NextInt(2p + 1) − p</c>, then <c>dx = NextInt(2p + 1) − p</c> (see <see cref="ImageGeometry.Crop"/>).</remarks>
public sealed class RandomCrop : ImageAugmentation
{
    /// <summary>Creates the augmentation.</summary>
    /// <param name="padding">Pixels of padding on each side, ≥ 0 (the largest shift). Default 4 (the CIFAR recipe).</param>
    /// <param name="fill">The padding value. Default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="padding"/> is negative.</exception>
    public RandomCrop(int padding = 4, float fill = 0f)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        Padding = padding;
        Fill = fill;
    }

    /// <summary>Pixels of padding on each side.</summary>
    public int Padding { get; }

    /// <summary>The padding value.</summary>
    public float Fill { get; }

    /// <inheritdoc />
    public override void Apply(Span<float> image, int channels, int height, int width, Rng rng, Span<float> scratch)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int dy = rng.NextInt(2 * Padding + 1) - Padding, dx = rng.NextInt(2 * Padding + 1) - Padding;
        if (dy == 0 && dx == 0) return;
        int n = channels * height * width;
        image[..n].CopyTo(scratch);
        ImageGeometry.Crop(scratch[..n], image, channels, height, width, dy, dx, Fill);
    }

    /// <inheritdoc />
    public override string ToString() => $"RandomCrop(padding: {Padding})";
}
