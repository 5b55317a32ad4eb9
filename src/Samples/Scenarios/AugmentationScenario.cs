using System.Diagnostics;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>
/// What image augmentation buys: LeNet-5 trained on the MNIST subset with and without on-the-fly augmentation (random
/// shifts of up to 3 pixels and rotations of up to ±15°, the trainer's <c>Augmentation</c> option), both evaluated on
/// the clean test images and on a copy of them with every digit shifted by 3 pixels in a random direction and rotated by
/// a random angle in [−15°, 15°] (seeded). Prints the four accuracies.
/// </summary>
internal static class AugmentationScenario
{
    private const int Epochs = 10;

    public static IReadOnlyDictionary<string, double> Run(DirectoryInfo output)
    {
        var ml = new MLContext(seed: 0);
        string folder = Scenario.DataPath("mnist");
        var train = ml.Data.LoadFromEnumerable(MnistData.Load(folder, "train"));
        var testImages = MnistData.Load(folder, "t10k");
        var test = ml.Data.LoadFromEnumerable(testImages);
        var moved = ml.Data.LoadFromEnumerable(ShiftAndRotate(testImages, seed: 2024));
        Console.WriteLine("mnist: 6,000 training and 1,000 test images; the moved test copy shifts every digit by 3 pixels and rotates it by up to ±15°.");

        var augmentation = new ImageAugmentationPipeline(new RandomCrop(padding: 3), new RandomRotation(degrees: 15));
        var results = new Dictionary<string, double>();
        foreach (var (name, pipeline) in new[] { ("without", (ImageAugmentationPipeline?)null), ("with", augmentation) })
        {
            Console.WriteLine($"Training LeNet-5 for {Epochs} epochs {name} augmentation{(pipeline is null ? "" : $" ({pipeline})")}...");
            var clock = Stopwatch.StartNew();
            using var model = ml.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
                .Append(ml.MulticlassClassification.Trainers.ConvNet(Options(pipeline)))
                .Fit(train);
            double clean = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            double shifted = ml.MulticlassClassification.Evaluate(model.Transform(moved)).MicroAccuracy;
            Console.WriteLine($"  trained in {clock.Elapsed.TotalSeconds:F1} s: accuracy {clean:P2} on the test images, {shifted:P2} on the moved copy.");
            results[$"Accuracy_{name}"] = clean;
            results[$"MovedAccuracy_{name}"] = shifted;
        }
        Console.WriteLine($"On the moved test images, augmentation gains {100 * (results["MovedAccuracy_with"] - results["MovedAccuracy_without"]):F1} points " +
            $"({results["MovedAccuracy_without"]:P2} → {results["MovedAccuracy_with"]:P2}).");
        return results;
    }

    private static ConvNetMulticlassTrainer.Options Options(ImageAugmentationPipeline? augmentation) => new()
    {
        Architecture = ConvNetArchitecture.LeNet5,
        NumberOfEpochs = Epochs,
        BatchSize = 32,
        LearningRate = 1e-3f,
        LearningRateSchedule = new Engine.Schedules.CosineAnnealingLR(tMax: Epochs, etaMin: 1e-5),
        Optimizer = OptimizerKind.AdamW,
        WeightDecay = 0.05f,
        LabelSmoothing = 0.1f,
        Augmentation = augmentation,
    };

    /// <summary>
    /// Copies of <paramref name="images"/>, each shifted by 3 pixels in direction φ ~ U(0, 2π) and rotated by
    /// θ ~ U(−15°, 15°) about its centre (bilinear, zero fill), drawn from <c>new Rng(seed).Fork(i)</c> for image i.
    /// </summary>
    public static List<MnistImage> ShiftAndRotate(IReadOnlyList<MnistImage> images, ulong seed)
    {
        var root = new Rng(seed);
        var result = new List<MnistImage>(images.Count);
        for (int i = 0; i < images.Count; i++)
        {
            var rng = root.Fork((ulong)i);
            double direction = 2 * Math.PI * rng.NextDouble(), angle = -15 + 30 * rng.NextDouble();
            var features = new float[784];
            ImageGeometry.Affine(images[i].Features, features, 1, 28, 28, angle, 1, 3 * Math.Cos(direction), 3 * Math.Sin(direction));
            result.Add(new MnistImage { Features = features, Digit = images[i].Digit });
        }
        return result;
    }
}
