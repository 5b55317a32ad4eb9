namespace Microsoft.ML.DeepExtensions.Data;

/// <summary>How image columns declare their pixel layout.</summary>
internal static class PixelLayout
{
    /// <summary>
    /// True when the declared dimensions look like interleaved pixels <c>(H, W, C)</c>, as
    /// <c>ExtractPixels(interleavePixelColors: true)</c> declares them, rather than channel-major <c>(C, H, W)</c>:
    /// three dimensions, the last at most 4 (grey, RGB, RGBA) and the first more than 4. A heuristic: a genuine
    /// <c>(C, H, W)</c> column shaped like (16, 4, 4) is misjudged, so callers offer an explicit override.
    /// </summary>
    public static bool LooksInterleaved(ReadOnlySpan<int> dims) => dims.Length == 3 && dims[2] <= 4 && dims[0] > 4;

    /// <summary>
    /// True when <paramref name="dims"/> and <paramref name="shape"/> describe the same image: equal once leading
    /// dimensions of size 1 are dropped, so <c>(H, W)</c>, <c>(1, H, W)</c> and <c>(1, 1, H, W)</c> are one grey-scale image.
    /// </summary>
    public static bool SameShape(ReadOnlySpan<int> dims, ReadOnlySpan<int> shape) => TrimLeadingOnes(dims).SequenceEqual(TrimLeadingOnes(shape));

    /// <summary>True when <paramref name="dims"/> is the interleaved <c>(H, W, C)</c> order of the <c>(C, H, W)</c> image <paramref name="shape"/>.</summary>
    public static bool IsInterleavedOrderOf(ReadOnlySpan<int> dims, ReadOnlySpan<int> shape) =>
        dims.Length == 3 && shape.Length == 3 && dims[0] == shape[1] && dims[1] == shape[2] && dims[2] == shape[0];

    /// <summary>Dimensions as text, e.g. <c>(1, 28, 28)</c>.</summary>
    public static string Format(IEnumerable<int> dims) => $"({string.Join(", ", dims)})";

    private static ReadOnlySpan<int> TrimLeadingOnes(ReadOnlySpan<int> dims)
    {
        int i = 0;
        while (i < dims.Length - 1 && dims[i] == 1) i++;
        return dims[i..];
    }
}
