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
}
