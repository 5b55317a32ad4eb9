using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Moves a chunk of a batch between the NCHW layout <c>(N, C, P)</c> (<c>P = H·W</c>) and the channel-major
/// layout <c>[C, N_chunk·P]</c> in which a convolution's matrix products read and write it: row <c>c</c> holds
/// the plane of channel <c>c</c> of every image of the chunk side by side, image <c>n</c> at column
/// <c>(n − first)·P</c>.
/// </summary>
/// <remarks>Both directions work on a range of images <c>[begin, end)</c> and touch only that range.</remarks>
internal static class ChannelMajor
{
    /// <summary>
    /// <c>batch[n, c, :] = rows[c, (n − first)·P ..] (+ bias[c])</c> for images <c>[begin, end)</c>
    /// (<paramref name="bias"/> empty for none).
    /// </summary>
    public static void ToBatch(ReadOnlySpan<float> rows, int ld, int channels, int plane, ReadOnlySpan<float> bias,
        int begin, int end, int first, Span<float> batch)
    {
        for (int n = begin; n < end; n++)
        {
            int colBase = (n - first) * plane;
            for (int c = 0; c < channels; c++)
            {
                ReadOnlySpan<float> src = rows.Slice(c * ld + colBase, plane);
                Span<float> dst = batch.Slice((n * channels + c) * plane, plane);
                if (bias.IsEmpty) src.CopyTo(dst);
                else TensorPrimitives.Add(src, bias[c], dst);
            }
        }
    }

    /// <summary><c>rows[c, (n − first)·P ..] = batch[n, c, :]</c> for images <c>[begin, end)</c>.</summary>
    public static void FromBatch(ReadOnlySpan<float> batch, int channels, int plane, int begin, int end, int first,
        Span<float> rows, int ld)
    {
        for (int n = begin; n < end; n++)
        {
            int colBase = (n - first) * plane;
            for (int c = 0; c < channels; c++)
                batch.Slice((n * channels + c) * plane, plane).CopyTo(rows.Slice(c * ld + colBase, plane));
        }
    }
}
