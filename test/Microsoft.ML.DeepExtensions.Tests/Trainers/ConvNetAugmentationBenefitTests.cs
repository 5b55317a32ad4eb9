using System.Diagnostics;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Engine.Schedules;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// The benefit of augmentation, measured: LeNet-5 trained on the shipped MNIST subset (6,000 images) with and without
/// random shifts (<see cref="RandomCrop"/> with padding 3) and rotations (<see cref="RandomRotation"/>, ±15°), evaluated
/// on a copy of the 1,000 test images in which every digit is shifted by 3 pixels in a seeded random direction and
/// rotated by a seeded angle in [−15°, 15°]. Augmentation must gain at least 5 points of accuracy there.
/// </summary>
[TestClass]
[DoNotParallelize] // two trainings of LeNet-5: keep the time bound meaningful on a shared 2-core machine
public sealed class ConvNetAugmentationBenefitTests
{
    private const int Epochs = 4;

    /// <summary>Each test image shifted by 3 pixels in direction φ ~ U(0, 2π) and rotated by θ ~ U(−15°, 15°), from <c>new Rng(seed).Fork(i)</c>.</summary>
    internal static List<MnistRow> ShiftAndRotate(IReadOnlyList<MnistRow> rows, ulong seed)
    {
        var root = new Rng(seed);
        return rows.Select((row, i) =>
        {
            var rng = root.Fork((ulong)i);
            double direction = 2 * Math.PI * rng.NextDouble(), angle = -15 + 30 * rng.NextDouble();
            var moved = new float[784];
            ImageGeometry.Affine(row.Features, moved, 1, 28, 28, angle, 1, 3 * Math.Cos(direction), 3 * Math.Sin(direction));
            return new MnistRow { Features = moved, Digit = row.Digit };
        }).ToList();
    }

    private static (double Clean, double Moved) TrainAndEvaluate(MLContext ml, IDataView train, IDataView test, IDataView moved, ImageAugmentationPipeline? augmentation)
    {
        using var model = ml.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options
            {
                NumberOfEpochs = Epochs,
                BatchSize = 32,
                Optimizer = OptimizerKind.AdamW,
                WeightDecay = 0.05f,
                LabelSmoothing = 0.1f,
                LearningRateSchedule = new CosineAnnealingLR(tMax: Epochs, etaMin: 1e-5),
                Augmentation = augmentation,
            }))
            .Fit(train);
        return (ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy,
                ml.MulticlassClassification.Evaluate(model.Transform(moved)).MicroAccuracy);
    }

    [TestMethod]
    public void AugmentationGainsAtLeastFivePointsOnShiftedAndRotatedDigits()
    {
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 0);
        var testRows = MnistRow.Load("t10k");
        var movedRows = ShiftAndRotate(testRows, seed: 2024);
        var train = ml.Data.LoadFromEnumerable(MnistRow.Load("train"));
        var test = ml.Data.LoadFromEnumerable(testRows);
        var moved = ml.Data.LoadFromEnumerable(movedRows);

        var without = TrainAndEvaluate(ml, train, test, moved, null);
        var with = TrainAndEvaluate(ml, train, test, moved, new ImageAugmentationPipeline(new RandomCrop(padding: 3), new RandomRotation(degrees: 15)));
        Console.WriteLine($"LeNet-5, {Epochs} epochs on 6,000 MNIST images ({clock.Elapsed.TotalSeconds:F1} s):");
        Console.WriteLine($"  without augmentation: {without.Clean:P2} on the test images, {without.Moved:P2} shifted by 3 px and rotated ≤ 15°");
        Console.WriteLine($"  with augmentation:    {with.Clean:P2} on the test images, {with.Moved:P2} shifted by 3 px and rotated ≤ 15°");

        without.Clean.Should().BeGreaterThan(0.93, "the baseline is a working classifier");
        with.Clean.Should().BeGreaterThan(0.93);
        (with.Moved - without.Moved).Should().BeGreaterThanOrEqualTo(0.05, "augmentation with shifts and rotations generalises to moved digits");
    }

    [TestMethod]
    public void TheMovedTestCopyIsShiftedByThreePixels()
    {
        var rows = MnistRow.Load("t10k", 200);
        var moved = ShiftAndRotate(rows, seed: 2024);
        ShiftAndRotate(rows, seed: 2024).Select(r => r.Features).Should().BeEquivalentTo(moved.Select(r => r.Features), o => o.WithStrictOrdering(), "seeded");
        double totalShift = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var (y0, x0) = Centroid(rows[i].Features);
            var (y1, x1) = Centroid(moved[i].Features);
            totalShift += Math.Sqrt((y1 - y0) * (y1 - y0) + (x1 - x0) * (x1 - x0));
        }
        (totalShift / rows.Count).Should().BeInRange(2.6, 3.4, "the ink's centre of mass moves by about 3 pixels (rotation about the centre moves it a little too)");
    }

    private static (double Y, double X) Centroid(float[] image)
    {
        double sum = 0, y = 0, x = 0;
        for (int p = 0; p < 784; p++)
        {
            sum += image[p];
            y += image[p] * (p / 28);
            x += image[p] * (p % 28);
        }
        return (y / sum, x / sum);
    }
}
