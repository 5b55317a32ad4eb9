using System.Buffers.Binary;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>
/// Reads the IDX files of MNIST and Fashion-MNIST (LeCun et al.): big-endian int32 header
/// (magic 0x00000803 for images, 0x00000801 for labels; then count; then rows and columns for images), followed by
/// unsigned bytes: <c>count × rows × cols</c> pixels (row-major, 0 = background) or <c>count</c> labels.
/// </summary>
internal static class Idx
{
    /// <summary>Loads an images file: the pixel bytes and the image size.</summary>
    /// <exception cref="InvalidDataException">The file is not an IDX image file or is truncated.</exception>
    public static (byte[] Pixels, int Count, int Rows, int Columns) ReadImages(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16 || BinaryPrimitives.ReadInt32BigEndian(bytes) != 0x00000803)
            throw new InvalidDataException($"{path} is not an IDX image file (magic 0x00000803).");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(8));
        int cols = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(12));
        long size = (long)count * rows * cols;
        if (count < 0 || rows <= 0 || cols <= 0 || bytes.Length - 16 != size)
            throw new InvalidDataException($"{path}: header says {count} images of {rows}x{cols}, but the file holds {bytes.Length - 16} pixel bytes.");
        return (bytes[16..], count, rows, cols);
    }

    /// <summary>Loads a labels file.</summary>
    /// <exception cref="InvalidDataException">The file is not an IDX label file or is truncated.</exception>
    public static byte[] ReadLabels(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8 || BinaryPrimitives.ReadInt32BigEndian(bytes) != 0x00000801)
            throw new InvalidDataException($"{path} is not an IDX label file (magic 0x00000801).");
        int count = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4));
        if (bytes.Length - 8 != count)
            throw new InvalidDataException($"{path}: header says {count} labels, but the file holds {bytes.Length - 8}.");
        return bytes[8..];
    }
}
