using System.Buffers.Binary;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (LeCun et al.): a big-endian header <c>0x00 0x00 type rank</c>,
/// <c>rank</c> big-endian int32 dimensions, then the values in row-major order. Only unsigned bytes (type 0x08) are
/// supported, the type of every MNIST file.
/// </summary>
public static class IdxFile
{
    /// <summary>The dimensions and the raw bytes of an IDX file.</summary>
    public sealed record Content(int[] Shape, byte[] Values);

    /// <summary>Reads an IDX file of unsigned bytes.</summary>
    /// <exception cref="InvalidDataException">The header is not an unsigned-byte IDX header, or the file is truncated.</exception>
    public static Content Read(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>Parses the bytes of an IDX file of unsigned bytes.</summary>
    /// <exception cref="InvalidDataException">The header is not an unsigned-byte IDX header, or the data is truncated.</exception>
    public static Content Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0 || bytes[2] != 0x08 || bytes[3] == 0)
            throw new InvalidDataException("Not an IDX file of unsigned bytes (expected the magic 0x00 0x00 0x08 rank).");
        int rank = bytes[3];
        if (bytes.Length < 4 + 4 * rank) throw new InvalidDataException("The IDX header is truncated.");
        var shape = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            shape[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.Slice(4 + 4 * d, 4));
            if (shape[d] < 0) throw new InvalidDataException($"IDX dimension {d} is negative.");
            count *= shape[d];
        }
        int start = 4 + 4 * rank;
        if (bytes.Length - start < count) throw new InvalidDataException($"The IDX file holds {bytes.Length - start} values, its header announces {count}.");
        return new Content(shape, bytes.Slice(start, (int)count).ToArray());
    }

    /// <summary>Images scaled to [0, 1] (value / 255) as floats, row-major <c>(N, H, W)</c>.</summary>
    public static float[] ToUnitFloats(Content images) => images.Values.Select(b => b / 255f).ToArray();
}
