using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// The binary and regression ConvNet trainers (both catalog overloads) train LeNet-5 on tiny synthetic images
/// (<see cref="BarImages"/>), produce ML.NET's output columns and evaluate well on fresh images.
/// </summary>
[TestClass]
public sealed class ConvNetBinaryAndRegressionTests
{
    [TestMethod]
    public void BinaryConvNetLearnsBarOrientation()
    {
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(BarImages.Binary(400, seed: 1));
        var test = ml.Data.LoadFromEnumerable(BarImages.Binary(200, seed: 2));
        using var model = ml.BinaryClassification.Trainers.ConvNet(numberOfEpochs: 4, batchSize: 16, learningRate: 3e-3f).Fit(train);
        var scored = model.Transform(test);
        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["Probability"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["PredictedLabel"].Type.Should().Be(BooleanDataViewType.Instance);
        model.Model.Network.Parameters[^1].Value.Shape.ToArray().Should().Equal([1], "the binary network ends with one logit");
        var metrics = ml.BinaryClassification.Evaluate(scored);
        metrics.Accuracy.Should().BeGreaterThanOrEqualTo(0.95);
        metrics.AreaUnderRocCurve.Should().BeGreaterThanOrEqualTo(0.98);
    }

    [TestMethod]
    public void RegressionConvNetLearnsBarBrightness()
    {
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(BarImages.Regression(400, seed: 1));
        var test = ml.Data.LoadFromEnumerable(BarImages.Regression(200, seed: 2));
        var options = new ConvNetRegressionTrainer.Options { NumberOfEpochs = 6, BatchSize = 16, LearningRate = 3e-3f };
        using var model = ml.Regression.Trainers.ConvNet(options).Fit(train);
        var scored = model.Transform(test);
        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        var metrics = ml.Regression.Evaluate(scored);
        Console.WriteLine($"regression: R² {metrics.RSquared:F3}, MAE {metrics.MeanAbsoluteError:F3}");
        metrics.RSquared.Should().BeGreaterThanOrEqualTo(0.8, "the label (10·brightness, 5..20) is a simple function of the image");
    }
}
