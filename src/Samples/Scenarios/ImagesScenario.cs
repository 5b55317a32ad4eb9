using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Image;
using SkiaSharp;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>
/// Image files through ML.NET's ImageAnalytics: writes 200 MNIST test images as PNG files (so the sample works offline),
/// trains LeNet-5 on the IDX training images, then classifies the PNG folder with
/// <c>LoadImages → ResizeImages → ConvertToGrayscale → ExtractPixels → the trained network</c>, and saves that whole
/// chain as one model.zip that takes image paths.
/// </summary>
internal static class ImagesScenario
{
    private sealed class ImageFile
    {
        public string ImagePath { get; set; } = "";

        public uint Digit { get; set; }
    }

    private sealed class Prediction
    {
        public string ImagePath { get; set; } = "";

        public uint Digit { get; set; }

        public float[] Score { get; set; } = [];
    }

    public static IReadOnlyDictionary<string, double> Run(DirectoryInfo output)
    {
        var ml = new MLContext(seed: 0);
        string folder = Path.Combine(output.FullName, "images");
        Directory.CreateDirectory(folder);
        var files = WritePngs(MnistData.Load(Scenario.DataPath("mnist"), "t10k").Take(200).ToList(), folder);
        Console.WriteLine($"Wrote {files.Count} PNG files (MNIST test images) to {folder}.");

        var train = ml.Data.LoadFromEnumerable(MnistData.Load(Scenario.DataPath("mnist"), "train"));
        var labels = ml.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(train);
        Console.WriteLine("Training LeNet-5 on the 6,000 IDX training images (8 epochs)...");
        using var network = ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options
        {
            NumberOfEpochs = 8,
            BatchSize = 32,
            Optimizer = OptimizerKind.AdamW,
            WeightDecay = 0.05f,
            LabelSmoothing = 0.1f,
            OnEpochEnd = epoch => Console.WriteLine($"  {epoch}"),
        }).Fit(labels.Transform(train));

        // The scoring chain for files: decode, resize, grey levels scaled to [0, 1] as (1, 28, 28), then the network.
        var images = ml.Data.LoadFromEnumerable(files);
        var decode = ml.Transforms.LoadImages("Image", folder, nameof(ImageFile.ImagePath))
            .Append(ml.Transforms.ResizeImages("Image", 28, 28))
            .Append(ml.Transforms.ConvertToGrayscale("Image"))
            .Append(ml.Transforms.ExtractPixels("Features", "Image", ImagePixelExtractingEstimator.ColorBits.Red, scaleImage: 1f / 255))
            .Fit(images);
        var chain = new TransformerChain<ITransformer>(decode, network);

        var predictions = ml.Data.CreateEnumerable<Prediction>(chain.Transform(images), reuseRowObject: false).ToList();
        int correct = 0;
        foreach (var (p, i) in predictions.Select((p, i) => (p, i)))
        {
            int predicted = Array.IndexOf(p.Score, p.Score.Max());
            if (predicted == p.Digit) correct++;
            if (i < 10) Console.WriteLine($"  {Path.GetFileName(p.ImagePath)}: predicted {predicted} (p = {p.Score[predicted]:F3}), true {p.Digit}");
        }
        double accuracy = (double)correct / predictions.Count;
        Console.WriteLine($"Accuracy on the {predictions.Count} PNG files: {accuracy:P1}");

        string zip = Path.Combine(output.FullName, "model.zip");
        ml.Model.Save(chain, images.Schema, zip);
        Console.WriteLine($"Saved the whole chain (image path in, scores out) to {zip}.");
        return new Dictionary<string, double> { ["MicroAccuracy"] = accuracy };
    }

    private static List<ImageFile> WritePngs(List<MnistImage> images, string folder)
    {
        var files = new List<ImageFile>();
        for (int i = 0; i < images.Count; i++)
        {
            var pixels = new byte[784];
            for (int p = 0; p < 784; p++) pixels[p] = (byte)Math.Round(images[i].Features[p] * 255);
            using var image = SKImage.FromPixelCopy(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque), pixels);
            using var data = image.Encode(SKEncodedImageFormat.Png, 100);
            string name = $"{i:D3}_digit{images[i].Digit}.png";
            using (var stream = File.Create(Path.Combine(folder, name))) data.SaveTo(stream);
            files.Add(new ImageFile { ImagePath = name, Digit = images[i].Digit });
        }
        return files;
    }
}
