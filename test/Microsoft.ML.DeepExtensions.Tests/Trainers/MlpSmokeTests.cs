using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

[TestClass]
public sealed class MlpSmokeTests
{
    [TestMethod]
    public void IrisMulticlassEndToEnd()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Iris(ml);
        var split = ml.Data.TrainTestSplit(data, 0.3, seed: 0);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(numberOfEpochs: 50));
        var model = pipeline.Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"iris micro {metrics.MicroAccuracy} macro {metrics.MacroAccuracy} logloss {metrics.LogLoss}");
        metrics.MicroAccuracy.Should().BeGreaterThan(0.9);
    }
}
