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
