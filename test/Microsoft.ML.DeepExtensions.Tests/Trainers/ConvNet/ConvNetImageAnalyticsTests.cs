using System.Runtime.InteropServices;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// The ConvNet trainers behind ML.NET's image pipeline (Microsoft.ML.ImageAnalytics, SkiaSharp):
/// <c>LoadImages → ResizeImages → ExtractPixels(Red, scale 1/255)</c> on a folder of grey PNG files the test writes
/// from the shipped MNIST images (so it runs offline). The pixels reach the trainer unchanged in CHW order with the
/// dimensions (1, 28, 28); a LeNet-5 trained on the IDX arrays scores the PNG path with the same accuracy; and a
/// pipeline that reads PNGs end to end trains, evaluates, saves and reloads.
/// </summary>
[TestClass]
public sealed class ConvNetImageAnalyticsTests
{
    /// <summary>One image file and its digit.</summary>
    public sealed class ImageFile
    {
        public string Path { get; set; } = "";

        public uint Digit { get; set; }
    }

    /// <summary>
    /// Writes images <c>skip..skip+count</c> of a split as 8-bit grey PNGs of <paramref name="size"/>×<paramref name="size"/>
    /// pixels (28, or a multiple of 28 with each pixel repeated) and returns their rows (paths relative to <paramref name="folder"/>).
    /// </summary>
    private static List<ImageFile> WritePngs(string folder, string split, int count, int skip = 0, int size = 28)
    {
        var (pixels, labels) = ConvNetTestData.Raw("mnist", split);
        int factor = size / 28;
        var files = new List<ImageFile>(count);
        var bytes = new byte[size * size];
        for (int i = skip; i < skip + count; i++)
        {
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                    bytes[y * size + x] = (byte)Math.Round(pixels[i * 784 + (y / factor) * 28 + x / factor] * 255f);
            using var bitmap = new SKBitmap(new SKImageInfo(size, size, SKColorType.Gray8, SKAlphaType.Opaque));
            bitmap.RowBytes.Should().Be(size, "precondition: Gray8 rows are packed");
            Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
            using var image = SKImage.FromBitmap(bitmap);
            using var png = image.Encode(SKEncodedImageFormat.Png, 100);
            string name = $"{split}-{i:D4}.png";
            File.WriteAllBytes(System.IO.Path.Combine(folder, name), png.ToArray());
            files.Add(new ImageFile { Path = name, Digit = labels[i] });
        }
        return files;
    }

    /// <summary>LoadImages → ResizeImages(28×28) → ExtractPixels (red plane = grey level, scaled by 1/255) into <c>Features</c>.</summary>
    private static IEstimator<ITransformer> Featurizer(MLContext ml, string folder) =>
        ml.Transforms.LoadImages("Image", folder, nameof(ImageFile.Path))
            .Append(ml.Transforms.ResizeImages("Image", 28, 28))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", colorsToExtract: ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Append(ml.Transforms.DropColumns("Image"));

    [TestMethod]
    public void ExtractPixelsGivesTheIdxPixelsWithImageDimensions()
    {
        using var folder = new PrivateFolder();
        var ml = new MLContext(seed: 0);
        var files = ml.Data.LoadFromEnumerable(WritePngs(folder.Root, "t10k", count: 50));
        var features = Featurizer(ml, folder.Root).Fit(files).Transform(files);
        features.Schema["Features"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 1, 28, 28));
        var expected = ConvNetTestData.Rows("mnist", "t10k", take: 50).Select(r => r.Features).ToArray();
        var actual = ConvNetTestData.Features(features);
        actual.Should().HaveCount(expected.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            actual[i].Should().HaveCount(784);
            // ExtractPixels multiplies by (float)(1/255), the IDX reader divides by 255: equal up to rounding (1 ulp).
            for (int p = 0; p < 784; p++)
                actual[i][p].Should().BeApproximately(expected[i][p], 1e-6f, "image {0}, pixel {1}: a 28×28 grey PNG decodes to the IDX bytes", i, p);
        }
    }

    [TestMethod]
    [DataRow(28)]
    [DataRow(56)]
    public void IdxTrainedLeNet5ScoresThePngPathWithTheSameAccuracy(int pngSize)
    {
        using var folder = new PrivateFolder();
        var trained = ConvNetMnistAccuracyTests.Mnist;
        var ml = new MLContext(seed: 0);
        var files = ml.Data.LoadFromEnumerable(WritePngs(folder.Root, "t10k", count: 1000, size: pngSize));
        var test = ConvNetTestData.KeyLabel(ml, Featurizer(ml, folder.Root).Fit(files).Transform(files));
        double accuracy = ml.MulticlassClassification.Evaluate(trained.Model.Transform(test)).MicroAccuracy;
        Console.WriteLine($"{pngSize}×{pngSize} PNGs resized to 28×28: accuracy {accuracy:P2}; IDX arrays: {trained.Accuracy:P2}");
        accuracy.Should().BeApproximately(trained.Accuracy, pngSize == 28 ? 0.002 : 0.01,
            pngSize == 28 ? "the PNG path gives the IDX pixels (up to 1 ulp)" : "downscaling pixel-doubled images changes little");
    }

    [TestMethod]
    public void PipelineFromPngFolderTrainsEvaluatesSavesAndReloads()
    {
        using var folder = new PrivateFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Folder("mltemp") };
        string images = folder.Folder("images");
        var train = ml.Data.LoadFromEnumerable(WritePngs(images, "train", count: 2000));
        var test = ml.Data.LoadFromEnumerable(WritePngs(images, "t10k", count: 500));
        var pipeline = Featurizer(ml, images)
            .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(ImageFile.Digit), keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue))
            .Append(ml.MulticlassClassification.Trainers.ConvNet(ConvNetMnistAccuracyTests.Recipe(epochs: 6)));
        using var model = pipeline.Fit(train);
        model.LastTransformer.Model.InputShape.Should().Equal([1, 28, 28], "read from the dimensions ExtractPixels declares");
        var scored = model.Transform(test);
        double accuracy = ml.MulticlassClassification.Evaluate(scored).MicroAccuracy;
        Console.WriteLine($"LeNet-5 on 2,000 PNGs, 6 epochs: test accuracy {accuracy:P2}");
        accuracy.Should().BeGreaterThanOrEqualTo(0.90);

        string zip = folder.File("model.zip");
        ml.Model.Save(model, train.Schema, zip);
        var loaded = ml.Model.Load(zip, out _);
        try
        {
            var before = TrainerTestData.Vectors(scored, "Score");
            var after = TrainerTestData.Vectors(loaded.Transform(test), "Score");
            after.Should().HaveCount(before.Length);
            for (int i = 0; i < before.Length; i++) after[i].Should().Equal(before[i], "row {0} scores the same after reloading", i);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }
}
