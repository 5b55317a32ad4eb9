using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Tests.Trainers;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.DeepExtensions.Transforms;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>The normalizers in pipelines before this library's trainers: MLP on wine, ConvNet on (3, 14, 14) images.</summary>
[TestClass]
public sealed class NormalizerPipelineTests
{
    /// <summary>Wine (label → key, standardize, MLP); also used by the ONNX export tests.</summary>
    internal static EstimatorChain<MulticlassNeuralPredictionTransformer> WinePipeline(MLContext ml, int epochs = 30) =>
        MlpTestTasks.WineLabelToKey(ml)
            .Append(ml.Transforms.Standardize("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(MlpTestTasks.MulticlassOptions(epochs)));

    /// <summary>Images: per-channel standardization, then a small ConvNet; also used by the ONNX export tests.</summary>
    internal static EstimatorChain<MulticlassNeuralPredictionTransformer> ImagePipeline(MLContext ml, int epochs = 3) =>
        ml.Transforms.Standardize("Image", scope: NormalizationScope.PerChannel)
            .Append(ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options
            {
                FeatureColumnName = "Image",
                Architecture = ConvNetArchitecture.Custom,
                Layers = [new Conv2dSpec(8), new ActivationSpec(), new MaxPool2dSpec(), new FlattenSpec()],
                NumberOfEpochs = epochs,
                BatchSize = 32,
                LearningRate = 3e-3f,
            }));

    [TestMethod]
    public void StandardizeBeforeMlpTrainsWineAndScoresThroughAPredictionEngine()
    {
        var ml = new MLContext(seed: 0);
        var split = ml.Data.TrainTestSplit(TabularData.Wine(ml), testFraction: 0.3, seed: 0);
        using var model = WinePipeline(ml).Fit(split.TrainSet);
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        metrics.MicroAccuracy.Should().BeGreaterThan(0.9, "standardized wine is easy for an MLP");

        using var engine = ml.Model.CreatePredictionEngine<WineInput, MulticlassOutput>(model);
        var first = split.TestSet.GetColumn<float[]>("Features").First();
        var prediction = engine.Predict(new WineInput { Features = first });
        prediction.Score.Should().Equal(model.Transform(split.TestSet).GetColumn<float[]>("Score").First());

        using var folder = new PrivateFolder();
        ml.Model.Save(model, split.TrainSet.Schema, folder.File("model.zip"));
        var loaded = ml.Model.Load(folder.File("model.zip"), out _);
        try
        {
            loaded.Transform(split.TestSet).GetColumn<float[]>("Score").SelectMany(s => s)
                .Should().Equal(model.Transform(split.TestSet).GetColumn<float[]>("Score").SelectMany(s => s), "the saved pipeline scores identically");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [TestMethod]
    public void PerChannelStandardizeBeforeConvNetTrainsAndScores()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(600);
        var data = ImageView(ml, images, labels);
        var split = ml.Data.TrainTestSplit(data, testFraction: 0.25, seed: 0);
        using var model = ImagePipeline(ml).Fit(split.TrainSet);
        model.LastTransformer.Model.InputShape.Should().Equal([3, 14, 14], "the normalized column keeps the dimensions the ConvNet reads");
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        metrics.MicroAccuracy.Should().BeGreaterThan(0.5, "digits learn fast, even as three stacked channels");
    }

    public sealed class WineInput
    {
        [Microsoft.ML.Data.VectorType(13)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    public sealed class MulticlassOutput
    {
        public float[] Score { get; set; } = [];
    }
}
