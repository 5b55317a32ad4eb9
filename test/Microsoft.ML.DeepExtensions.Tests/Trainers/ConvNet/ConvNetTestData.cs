using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>One 28×28 grey image as ML.NET's <c>ExtractPixels</c> would produce it: <c>(1, 28, 28)</c>, CHW, scaled to [0, 1].</summary>
public sealed class MnistRow
{
    [VectorType(1, 28, 28)]
    public float[] Features { get; set; } = [];

    /// <summary>The class, 0..9 (mapped to the key <c>Label</c> by <see cref="ConvNetTestData.Mnist"/>).</summary>
    public uint Digit { get; set; }
}

/// <summary>
/// Data for the ConvNet trainer tests: the MNIST and Fashion-MNIST subsets shipped in <c>data/</c> (6,000 training and
/// 1,000 test images, read from their IDX files and cached), and tiny synthetic images for the binary and regression
/// trainers.
/// </summary>
internal static class ConvNetTestData
{
    private static readonly Dictionary<string, Lazy<(float[] Pixels, byte[] Labels)>> Cache = new()
    {
        ["mnist/train"] = new(() => Read("mnist", "train")),
        ["mnist/t10k"] = new(() => Read("mnist", "t10k")),
        ["fashion-mnist/train"] = new(() => Read("fashion-mnist", "train")),
        ["fashion-mnist/t10k"] = new(() => Read("fashion-mnist", "t10k")),
    };

    /// <summary>Pixels per image.</summary>
    public const int Pixels = 784;

    /// <summary>The images of <c>data/{folder}/{split}-images-idx3-ubyte</c> scaled by 1/255 (row-major (N, 28, 28)) and their labels.</summary>
    public static (float[] Pixels, byte[] Labels) Raw(string folder, string split) => Cache[$"{folder}/{split}"].Value;

    /// <summary>The first <paramref name="take"/> (or all) images of a split as <see cref="MnistRow"/>s.</summary>
    public static List<MnistRow> Rows(string folder, string split, int? take = null, int skip = 0)
    {
        var (pixels, labels) = Raw(folder, split);
        int count = Math.Min(take ?? labels.Length, labels.Length - skip);
        return Enumerable.Range(skip, count)
            .Select(i => new MnistRow { Features = pixels.AsSpan(i * Pixels, Pixels).ToArray(), Digit = labels[i] })
            .ToList();
    }

    /// <summary>
    /// A split as an IDataView with <c>Features</c> (<c>Vector&lt;Single, 1, 28, 28&gt;</c>), <c>Digit</c> and <c>Label</c>:
    /// the digit as a key whose values are 0..9 in order (MapValueToKey by value, applied here so that pipelines can
    /// start with the trainer).
    /// </summary>
    public static IDataView Mnist(MLContext ml, string folder, string split, int? take = null, int skip = 0) =>
        KeyLabel(ml, ml.Data.LoadFromEnumerable(Rows(folder, split, take, skip)));

    /// <summary>Adds the key column <c>Label</c> (values 0..9, in order) from the <c>Digit</c> column.</summary>
    public static IDataView KeyLabel(MLContext ml, IDataView data)
    {
        var keys = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 10).Select(d => new DigitKey { Digit = (uint)d }));
        return ml.Transforms.Conversion.MapValueToKey("Label", "Digit", keyData: keys, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(data).Transform(data);
    }

    /// <summary>The Features vectors of <paramref name="data"/>, one array per row.</summary>
    public static float[][] Features(IDataView data) => data.GetColumn<float[]>("Features").ToArray();

    private static (float[] Pixels, byte[] Labels) Read(string folder, string split)
    {
        var images = IdxFile.Read(TestData.Path($"{folder}/{split}-images-idx3-ubyte"));
        var labels = IdxFile.Read(TestData.Path($"{folder}/{split}-labels-idx1-ubyte"));
        images.Shape.Skip(1).Should().Equal([28, 28], "precondition: MNIST images are 28×28");
        return (IdxFile.ToUnitFloats(images), labels.Values);
    }

    private sealed class DigitKey
    {
        public uint Digit { get; set; }
    }
}
