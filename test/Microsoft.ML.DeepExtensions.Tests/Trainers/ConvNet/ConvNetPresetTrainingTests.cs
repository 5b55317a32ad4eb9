using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// The VGG and ResNet presets, shaped by <c>StageChannels</c> and <c>BlocksPerStage</c>, train a few steps on tiny
/// images (loss finite and falling) for every task, including the one-output binary and regression networks.
/// </summary>
[TestClass]
public sealed class ConvNetPresetTrainingTests
{
    private static IDataView Bars(MLContext ml) => ml.Data.LoadFromEnumerable(BarImages.Multiclass(96, seed: 1));

    private static void ShouldHaveLearned(NeuralNetworkModelParameters model, int epochs)
    {
        var losses = model.History.Epochs.Select(e => e.Loss).ToArray();
        losses.Should().HaveCount(epochs).And.OnlyContain(l => double.IsFinite(l));
        losses[^1].Should().BeLessThan(losses[0], "a few steps on bar images lower the loss");
    }

    [TestMethod]
    public void VggFollowsTheStageOptionsAndTrains()
    {
        var ml = new MLContext(seed: 0);
        var options = new ConvNetMulticlassTrainer.Options { Architecture = ConvNetArchitecture.Vgg, StageChannels = [8, 16], BlocksPerStage = 1, NumberOfEpochs = 3, BatchSize = 16 };
        using var model = ml.MulticlassClassification.Trainers.ConvNet(options).Fit(Bars(ml));
        var network = model.Model.Network;
        network.Layers.OfType<Conv2d>().Select(c => c.OutChannels).Should().Equal([8, 16], "one convolution per stage");
        network.Layers.OfType<BatchNorm2d>().Should().HaveCount(2);
        network.Layers.OfType<MaxPool2d>().Should().HaveCount(2);
        network.Layers.OfType<Linear>().Last().OutFeatures.Should().Be(3);
        ShouldHaveLearned(model.Model, 3);
    }

    [TestMethod]
    public void ResNetFollowsTheStageOptionsAndTrains()
    {
        var ml = new MLContext(seed: 0);
        var options = new ConvNetMulticlassTrainer.Options { Architecture = ConvNetArchitecture.ResNet, StageChannels = [8, 16], BlocksPerStage = 2, NumberOfEpochs = 3, BatchSize = 16 };
        using var model = ml.MulticlassClassification.Trainers.ConvNet(options).Fit(Bars(ml));
        var blocks = model.Model.Network.Layers.OfType<ResidualBlock>().ToArray();
        blocks.Should().HaveCount(4, "2 stages of 2 blocks");
        blocks.Select(b => b.Shortcut is not null).Should().Equal([false, false, true, false], "only the first block of stage 2 changes the shape (8, 12, 12) → (16, 6, 6)");
        model.Model.Network.Layers.OfType<Linear>().Single().OutFeatures.Should().Be(3);
        ShouldHaveLearned(model.Model, 3);
    }

    [TestMethod]
    [DataRow(ConvNetArchitecture.LeNet5)]
    [DataRow(ConvNetArchitecture.Vgg)]
    [DataRow(ConvNetArchitecture.ResNet)]
    public void PresetsBuildOneOutputForBinaryAndRegression(ConvNetArchitecture architecture)
    {
        var ml = new MLContext(seed: 0);
        int[]? stages = architecture == ConvNetArchitecture.LeNet5 ? null : [8, 16];
        var binary = new ConvNetBinaryTrainer.Options { Architecture = architecture, StageChannels = stages, BlocksPerStage = 1, NumberOfEpochs = 2, BatchSize = 16 };
        using (var model = ml.BinaryClassification.Trainers.ConvNet(binary).Fit(ml.Data.LoadFromEnumerable(BarImages.Binary(64, seed: 1))))
        {
            model.Model.Network.GetOutputShape([1, 12, 12]).Should().Equal([1]);
            model.Model.History.Epochs.Should().HaveCount(2).And.OnlyContain(e => double.IsFinite(e.Loss));
        }
        var regression = new ConvNetRegressionTrainer.Options { Architecture = architecture, StageChannels = stages, BlocksPerStage = 1, NumberOfEpochs = 2, BatchSize = 16 };
        using (var model = ml.Regression.Trainers.ConvNet(regression).Fit(ml.Data.LoadFromEnumerable(BarImages.Regression(64, seed: 1))))
        {
            model.Model.Network.GetOutputShape([1, 12, 12]).Should().Equal([1]);
            model.Model.History.Epochs.Should().HaveCount(2).And.OnlyContain(e => double.IsFinite(e.Loss));
        }
    }

    [TestMethod]
    [DataRow(ConvNetArchitecture.Vgg)]
    [DataRow(ConvNetArchitecture.ResNet)]
    public void BlocksPerStageBelowOneNamesTheOption(ConvNetArchitecture architecture)
    {
        var ml = new MLContext(seed: 0);
        var options = new ConvNetMulticlassTrainer.Options { Architecture = architecture, StageChannels = [8, 16], BlocksPerStage = 0, NumberOfEpochs = 1, BatchSize = 16 };
        var fit = () => ml.MulticlassClassification.Trainers.ConvNet(options).Fit(Bars(ml));
        var e = fit.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be("BlocksPerStage");
        e.Message.Should().Contain("BlocksPerStage must be >= 1").And.NotContain("perStage");
    }

    [TestMethod]
    public void StageWithoutChannelsNamesTheOption()
    {
        var ml = new MLContext(seed: 0);
        var options = new ConvNetMulticlassTrainer.Options { Architecture = ConvNetArchitecture.ResNet, StageChannels = [8, 0], NumberOfEpochs = 1, BatchSize = 16 };
        var fit = () => ml.MulticlassClassification.Trainers.ConvNet(options).Fit(Bars(ml));
        var e = fit.Should().Throw<ArgumentOutOfRangeException>().Which;
        e.ParamName.Should().Be("StageChannels");
        e.Message.Should().Contain("StageChannels[1]").And.NotContain("stageChannels");
    }
}
