using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>A row holding one image, planar (C, H, W); the schema definition declares the dimensions.</summary>
public sealed class ImageRow
{
    public float[] Image { get; set; } = [];

    public uint Label { get; set; }
}

/// <summary>A row of a plain feature vector (size set by the schema definition).</summary>
public sealed class VectorRow
{
    public float[] Features { get; set; } = [];
}

/// <summary>
/// Real data for the normalization tests, and float64 references computed independently of the library (two passes
/// over the float32 values, as TextLoader parses them).
/// </summary>
public static class NormalizationTestData
{
    /// <summary>The <c>Features</c> rows of a tabular CSV as float32 (the values TextLoader gives ML.NET), read without ML.NET.</summary>
    public static float[][] CsvFeatures(string file, int featureCount) =>
        NumericCsv.Load("tabular/" + file).Rows.Select(r => r.Take(featureCount).Select(v => (float)v).ToArray()).ToArray();

    /// <summary>Two-pass float64 mean and population standard deviation of each column of <paramref name="rows"/>.</summary>
    public static (double[] Mean, double[] Std) MeanStd(float[][] rows)
    {
        int d = rows[0].Length;
        var mean = new double[d];
        var std = new double[d];
        for (int j = 0; j < d; j++)
        {
            double sum = 0;
            foreach (var r in rows) sum += r[j];
            double m = sum / rows.Length, ss = 0;
            foreach (var r in rows) ss += (r[j] - m) * (r[j] - m);
            mean[j] = m;
            std[j] = Math.Sqrt(ss / rows.Length);
        }
        return (mean, std);
    }

    /// <summary>
    /// RGB-like images (3, 14, 14) built from real MNIST digits: channel c of image i is digit 3i + c, average-pooled
    /// 2×2 to 14×14 and mapped to a different range per channel (c0: p, c1: 0.5 + p/2, c2: 4p − 1, p in [0, 1]), so the
    /// three channels have clearly different statistics. Labels: the class of digit 3i.
    /// </summary>
    public static (float[][] Images, uint[] Labels) Images(int count)
    {
        var images = IdxFile.Read(TestData.Path("mnist/train-images-idx3-ubyte"));
        var labels = IdxFile.Read(TestData.Path("mnist/train-labels-idx1-ubyte"));
        var result = new float[count][];
        var classes = new uint[count];
        for (int i = 0; i < count; i++)
        {
            var image = new float[3 * 14 * 14];
            for (int c = 0; c < 3; c++)
            {
                int digit = 3 * i + c;
                for (int y = 0; y < 14; y++)
                for (int x = 0; x < 14; x++)
                {
                    int sum = 0;
                    for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++)
                        sum += images.Values[digit * 784 + (2 * y + dy) * 28 + 2 * x + dx];
                    float p = sum / (4f * 255f);
                    image[c * 196 + y * 14 + x] = c switch { 0 => p, 1 => 0.5f + p / 2, _ => 4 * p - 1 };
                }
            }
            result[i] = image;
            classes[i] = labels.Values[3 * i];
        }
        return (result, classes);
    }

    /// <summary>The images as an IDataView: <c>Image</c> is <c>Vector&lt;Single, 3, 14, 14&gt;</c> (as ExtractPixels declares), <c>Label</c> a key of 10 classes.</summary>
    public static IDataView ImageView(MLContext ml, float[][] images, uint[] labels, bool declareDimensions = true)
    {
        var definition = SchemaDefinition.Create(typeof(ImageRow));
        definition[nameof(ImageRow.Image)].ColumnType = declareDimensions
            ? new VectorDataViewType(NumberDataViewType.Single, 3, 14, 14)
            : new VectorDataViewType(NumberDataViewType.Single, 3 * 14 * 14);
        definition[nameof(ImageRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), 10);
        return ml.Data.LoadFromEnumerable(images.Select((x, i) => new ImageRow { Image = x, Label = labels[i] }), definition);
    }

    /// <summary>Rows of a <c>Features</c> vector of <paramref name="size"/> values, with slot names when given.</summary>
    public static IDataView VectorView(MLContext ml, IEnumerable<float[]> rows, int size, string[]? slotNames = null)
    {
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        definition[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        if (slotNames is not null)
        {
            var names = new VBuffer<ReadOnlyMemory<char>>(size, slotNames.Select(n => n.AsMemory()).ToArray());
            definition[nameof(VectorRow.Features)].AddAnnotation("SlotNames", names, new VectorDataViewType(TextDataViewType.Instance, size));
        }
        return ml.Data.LoadFromEnumerable(rows.Select(r => new VectorRow { Features = r }), definition);
    }

    /// <summary>The wine features with the CSV header's names as slot names (TextLoader does not read them for a column range).</summary>
    public static IDataView WineWithSlotNames(MLContext ml) =>
        VectorView(ml, CsvFeatures("wine.csv", 13), 13, NumericCsv.Load("tabular/wine.csv").Header.Take(13).ToArray());

    /// <summary>The values of <paramref name="column"/>, one array per row.</summary>
    public static float[][] Column(IDataView data, string column = "Features") => data.GetColumn<float[]>(column).ToArray();

    /// <summary>Asserts |actual − expected| ≤ rel·|expected| + abs.</summary>
    public static void Close(double actual, double expected, double rel, double abs, string what)
    {
        double tolerance = rel * Math.Abs(expected) + abs;
        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(tolerance, $"{what}: {actual:R} vs reference {expected:R}");
    }
}
