using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// <see cref="ConvNetArchitecture.Custom"/>: a Keras-like <see cref="LayerSpec"/> list (input sizes inferred, output
/// layer appended) trains, residual blocks get the right shortcut, the ONNX export matches the engine, and a list
/// that does not fit the image is rejected before training with an error naming <c>Layers[i]</c>.
/// </summary>
[TestClass]
public sealed class ConvNetCustomArchitectureTests
{
    private static ConvNetMulticlassTrainer.Options Custom(params LayerSpec[] layers) =>
        new() { Architecture = ConvNetArchitecture.Custom, Layers = layers, NumberOfEpochs = 6, BatchSize = 16, LearningRate = 3e-3f };

    private static MulticlassNeuralPredictionTransformer Fit(MLContext ml, ConvNetMulticlassTrainer.Options options, int rows = 300) =>
        ml.MulticlassClassification.Trainers.ConvNet(options).Fit(ml.Data.LoadFromEnumerable(BarImages.Multiclass(rows, seed: 1)));

    [TestMethod]
    public void LayerListWithResidualBlocksTrainsAndExportsToOnnx()
    {
        var ml = new MLContext(seed: 0);
        var options = Custom(
            new Conv2dSpec(8), new BatchNormSpec(), new ActivationSpec(),
            new ResidualSpec([new Conv2dSpec(8), new BatchNormSpec(), new ActivationSpec(), new Conv2dSpec(8), new BatchNormSpec()]),
            new MaxPool2dSpec(),
            new ResidualSpec([new Conv2dSpec(16, Stride: 2), new BatchNormSpec(), new ActivationSpec(), new Conv2dSpec(16)]),
            new GlobalAvgPool2dSpec(), new DenseSpec(16), new ActivationSpec(ActivationKind.GELU), new DropoutSpec(0.1f));
        using var model = Fit(ml, options);

        var blocks = model.Model.Network.Layers.OfType<ResidualBlock>().ToArray();
        blocks.Should().HaveCount(2);
        blocks[0].Shortcut.Should().BeNull("the first body keeps the shape (8, 12, 12)");
        blocks[1].Shortcut.Should().NotBeNull("the second body maps (8, 6, 6) to (16, 3, 3)");
        blocks[1].GetOutputShape([8, 6, 6]).Should().Equal([16, 3, 3]);
        model.Model.Network.Layers[^1].Should().BeOfType<Linear>().Which.OutFeatures.Should().Be(3, "the trainer appends the output layer");

        var test = ml.Data.LoadFromEnumerable(BarImages.Multiclass(150, seed: 2));
        var accuracy = ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
        accuracy.Should().BeGreaterThanOrEqualTo(0.9, "bar orientation is easy for a small ConvNet");

        var images = BarImages.Multiclass(17, seed: 3).Select(r => r.Features).ToArray();
        ConvNetOnnxRuntimeParityTests.AssertOnnxMatchesEngine(model, images, classes: 3);
    }

    [TestMethod]
    public void DilatedGroupedConvolutionsAndPaddedPoolingTrainAndExportToOnnx()
    {
        var ml = new MLContext(seed: 0);
        // (1, 12, 12) → conv (8, 12, 12) → dilated grouped "same" conv (8, 12, 12) → padded 3×3/2 avg pool (8, 6, 6)
        // → padded 3×3/1 max pool (8, 6, 6) → valid dilated grouped conv without bias (16, 2, 2).
        var options = Custom(
            new Conv2dSpec(8), new ActivationSpec(),
            new Conv2dSpec(8, Dilation: 2, Groups: 4), new ActivationSpec(),
            new AvgPool2dSpec(3, Stride: 2, Padding: 1, CountIncludePad: false),
            new MaxPool2dSpec(3, Stride: 1, Padding: 1),
            new Conv2dSpec(16, Padding: 0, Dilation: 2, Groups: 8, Bias: false), new ActivationSpec());
        using var model = Fit(ml, options, rows: 150);

        var convolutions = model.Model.Network.Layers.OfType<Conv2d>().ToArray();
        convolutions[1].Dilation.Should().Be((2, 2));
        convolutions[1].Groups.Should().Be(4);
        convolutions[1].Padding.Should().Be((2, 2), "the default padding of a dilated 3×3 kernel keeps the size");
        convolutions[2].Groups.Should().Be(8);
        convolutions[2].Bias.Should().BeNull();
        var average = model.Model.Network.Layers.OfType<AvgPool2d>().Single();
        average.Padding.Should().Be((1, 1));
        average.CountIncludePad.Should().BeFalse();
        model.Model.Network.Layers.OfType<MaxPool2d>().Single().Padding.Should().Be((1, 1));
        model.Model.Network.GetOutputShape([1, 12, 12]).Should().Equal([3]);

        var test = ml.Data.LoadFromEnumerable(BarImages.Multiclass(150, seed: 2));
        ml.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy.Should().BeGreaterThanOrEqualTo(0.8, "the network learns the bars");
        var images = BarImages.Multiclass(17, seed: 3).Select(r => r.Features).ToArray();
        ConvNetOnnxRuntimeParityTests.AssertOnnxMatchesEngine(model, images, classes: 3);
    }

    [TestMethod]
    public void GroupsThatDoNotDivideTheChannelsNameTheLayer()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Custom(new Conv2dSpec(8), new Conv2dSpec(6, Groups: 4)));
        fit.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Layers[1]").And.Contain("divisible by groups (4)");
    }

    [TestMethod]
    public void StridedResidualBodyOnOddSizeGetsAMatchingShortcut()
    {
        var ml = new MLContext(seed: 0);
        // 12 → valid 3×3 convolution → 10 → pool → 5 → stride-2 body → 3: the shortcut needs stride 2 (5 / 3 rounds to 1).
        var options = Custom(
            new Conv2dSpec(4, Padding: 0), new ActivationSpec(), new MaxPool2dSpec(),
            new ResidualSpec([new Conv2dSpec(8, Stride: 2), new ActivationSpec(), new Conv2dSpec(8)]),
            new FlattenSpec());
        options.NumberOfEpochs = 1;
        using var model = Fit(ml, options, rows: 32);
        model.Model.Network.Layers.OfType<ResidualBlock>().Single().GetOutputShape([4, 5, 5]).Should().Equal([8, 3, 3]);
    }

    [TestMethod]
    public void ConvolutionAfterFlattenNamesTheLayer()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Custom(new Conv2dSpec(8), new FlattenSpec(), new Conv2dSpec(8)));
        var e = fit.Should().Throw<ArgumentException>().Which;
        e.ParamName.Should().Be("Layers");
        e.Message.Should().Contain("Layers[2]").And.Contain("Conv2d").And.Contain("(1152)", "the flattened 8·12·12 input it got");
    }

    [TestMethod]
    public void DenseOnAnImageNamesTheLayerAndSuggestsFlatten()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Custom(new Conv2dSpec(8), new DenseSpec(10)));
        fit.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Layers[1]").And.Contain("Flatten");
    }

    [TestMethod]
    public void PoolingTheImageAwayNamesTheLayer()
    {
        var ml = new MLContext(seed: 0);
        // 12 → 6 → 3 → 1, then a 2×2 window no longer fits.
        var fit = () => Fit(ml, Custom(new MaxPool2dSpec(), new MaxPool2dSpec(), new MaxPool2dSpec(), new MaxPool2dSpec()));
        fit.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Layers[3]").And.Contain("(1, 1, 1)");
    }

    [TestMethod]
    public void ErrorInsideAResidualBodyNamesTheBlock()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Custom(new Conv2dSpec(4), new ResidualSpec([new FlattenSpec(), new Conv2dSpec(4)])));
        fit.Should().Throw<ArgumentException>().Which.Message.Should()
            .Contain("Layers[1] (ResidualSpec { Body = [FlattenSpec { }, Conv2dSpec { Filters = 4,").And.Contain("Body[1]").And.Contain("(576)");
    }

    [TestMethod]
    public void CustomWithoutLayersIsRejected()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, new ConvNetMulticlassTrainer.Options { Architecture = ConvNetArchitecture.Custom });
        fit.Should().Throw<ArgumentException>().Which.ParamName.Should().Be("Layers");
    }

    [TestMethod]
    public void LayersWithAPresetArchitectureAreRejectedNotIgnored()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, new ConvNetMulticlassTrainer.Options { Layers = [new Conv2dSpec(4), new FlattenSpec()] });
        fit.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Architecture is LeNet5").And.Contain("ConvNetArchitecture.Custom");
    }

    [TestMethod]
    public void NullSpecNamesItsIndex()
    {
        var ml = new MLContext(seed: 0);
        var fit = () => Fit(ml, Custom(new Conv2dSpec(4), null!));
        fit.Should().Throw<ArgumentException>().Which.Message.Should().Contain("Layers[1]");
    }
}
