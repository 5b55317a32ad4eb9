using System.Collections.Concurrent;
using System.Text;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>
/// A binary PPM (P6) image: ASCII header <c>P6 width height maxval</c> (white-space separated, <c>#</c> comments),
/// one white-space byte, then <c>width·height·3</c> bytes R, G, B, row-major, top row first (maxval ≤ 255).
/// </summary>
/// <param name="Width">W.</param>
/// <param name="Height">H.</param>
/// <param name="Rgb">The interleaved bytes.</param>
public sealed record PpmImage(int Width, int Height, byte[] Rgb)
{
    private static readonly ConcurrentDictionary<string, PpmImage> Cache = new();

    /// <summary>The shipped photos of <c>data/images</c>.</summary>
    public static readonly string[] Photos = ["astronaut", "chelsea", "coffee", "rocket"];

    /// <summary>Reads <c>data/images/{name}.ppm</c> (cached).</summary>
    public static PpmImage Photo(string name) => Cache.GetOrAdd(name, n => Read(TestData.Path($"images/{n}.ppm")));

    /// <summary>Reads a P6 file.</summary>
    /// <exception cref="InvalidDataException">The file is not an 8-bit P6 image.</exception>
    public static PpmImage Read(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int pos = 0;
        string Token()
        {
            while (true)
            {
                while (pos < bytes.Length && char.IsWhiteSpace((char)bytes[pos])) pos++;
                if (pos < bytes.Length && bytes[pos] == '#')
                {
                    while (pos < bytes.Length && bytes[pos] != '\n') pos++;
                    continue;
                }
                break;
            }
            int start = pos;
            while (pos < bytes.Length && !char.IsWhiteSpace((char)bytes[pos])) pos++;
            return Encoding.ASCII.GetString(bytes, start, pos - start);
        }
        if (Token() != "P6") throw new InvalidDataException($"{path} is not a binary PPM (P6).");
        int width = int.Parse(Token()), height = int.Parse(Token()), max = int.Parse(Token());
        if (max is < 1 or > 255) throw new InvalidDataException($"{path}: only 8-bit PPM is supported (maxval {max}).");
        pos++; // the single white-space byte after maxval
        int count = width * height * 3;
        if (bytes.Length - pos < count) throw new InvalidDataException($"{path} is truncated.");
        return new PpmImage(width, height, bytes.AsSpan(pos, count).ToArray());
    }

    /// <summary>The image as channel-major floats <c>(3, H, W)</c>, each byte divided by 255.</summary>
    public float[] ToChw() => Crop(0, 0, Height, Width);

    /// <summary>The box (<paramref name="top"/>, <paramref name="left"/>, <paramref name="height"/>, <paramref name="width"/>) as channel-major floats in [0, 1].</summary>
    public float[] Crop(int top, int left, int height, int width)
    {
        var chw = new float[3 * height * width];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    chw[(c * height + y) * width + x] = Rgb[((top + y) * Width + left + x) * 3 + c] / 255f;
        return chw;
    }

    /// <summary>The central <paramref name="size"/>×<paramref name="size"/> square as channel-major floats in [0, 1].</summary>
    public float[] CenterSquare(int size) => Crop((Height - size) / 2, (Width - size) / 2, size, size);
}
