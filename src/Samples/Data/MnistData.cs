using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>One MNIST-style image: 28×28 grey levels scaled to [0, 1], channel-first <c>(1, 28, 28)</c>, and its digit.</summary>
public sealed class MnistImage
{
    /// <summary>The pixels, row-major, 0 = background, 1 = ink.</summary>
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];

    /// <summary>The class, 0..9.</summary>
    public uint Digit { get; set; }
}

/// <summary>Loads the MNIST and Fashion-MNIST subsets shipped in <c>data/</c> (IDX files).</summary>
public static class MnistData
{
    /// <summary>The class names of Fashion-MNIST, by label.</summary>
    public static readonly string[] FashionClasses = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Reads <c>{folder}/{split}-images-idx3-ubyte</c> and its labels (split: <c>train</c> or <c>t10k</c>).</summary>
    public static List<MnistImage> Load(string folder, string split)
    {
        var (pixels, count, rows, cols) = Idx.ReadImages(Path.Combine(folder, $"{split}-images-idx3-ubyte"));
        byte[] labels = Idx.ReadLabels(Path.Combine(folder, $"{split}-labels-idx1-ubyte"));
        if (rows != 28 || cols != 28) throw new InvalidDataException($"Expected 28x28 images, got {rows}x{cols}.");
        if (labels.Length != count) throw new InvalidDataException($"{count} images but {labels.Length} labels.");
        var images = new List<MnistImage>(count);
        for (int i = 0; i < count; i++)
        {
            var features = new float[784];
            for (int p = 0; p < 784; p++) features[p] = pixels[i * 784 + p] / 255f;
            images.Add(new MnistImage { Features = features, Digit = labels[i] });
        }
        return images;
    }
}
