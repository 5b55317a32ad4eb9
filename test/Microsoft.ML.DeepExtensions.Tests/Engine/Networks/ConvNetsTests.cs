using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Networks;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Networks;

[TestClass]
public sealed class ConvNetsTests
{
    [TestMethod]
    public void LeNet5IsTheBenchmarkW2Network()
    {
        var net = ConvNets.LeNet5();
        net.Layers.Select(l => l.Name).Should().Equal(
            "Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))", "ReLU", "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))",
            "Conv2d(6, 16, kernel_size=(5, 5), stride=(1, 1))", "ReLU", "MaxPool2d(kernel_size=(2, 2), stride=(2, 2))",
            "Flatten", "Linear(400, 120)", "ReLU", "Linear(120, 84)", "ReLU", "Linear(84, 10)");
        net.ParameterCount.Should().Be(61_706, "WORKLOADS.md §3 W2");
        net.Parameters.Select(p => p.Name).Should().Equal(
            "0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias", "11.weight", "11.bias");
        net.GetOutputShape([1, 28, 28]).Should().Equal(10);
        ((Linear)ConvNets.LeNet5(3, 32, 32, 5).Layers[7]).InFeatures.Should().Be(16 * 6 * 6);
        var small = () => ConvNets.LeNet5(1, 11, 28);
        small.Should().Throw<ArgumentOutOfRangeException>();
    }

    [TestMethod]
    public void LeNet5WithTheBenchmarkInitGivesPyTorchsFirstBatchLoss()
    {
        // The W2 data generator reproduces the benchmark's checksums ...
        Enumerable.Range(0, 8).Select(SyntheticImages.W2Label).Should().Equal(0, 6, 4, 3, 8, 5, 8, 6);
        var first = SyntheticImages.W2([0]);
        first.Features[..4].ToArray().Should().Equal(0.38350111f, 0.27086747f, 0.63502669f, 0.49695933f);
        // ... and LeNet5 with the benchmark's initial weights gives PyTorch 1.13's first-batch loss (ANCHORS.md: 2.316).
        var net = ConvNets.LeNet5();
        SyntheticImages.BenchmarkInitialize(net);
        var batch = SyntheticImages.W2(SyntheticImages.W2FirstBatch());
        var x = new Tensor(batch.Features.ToArray(), 64, 1, 28, 28);
        var loss = new CrossEntropyLoss().Forward(net.Forward(x, training: true), new Tensor(batch.Targets.ToArray(), 64));
        ((double)loss).Should().BeApproximately(2.316, 0.0005);
    }

    [TestMethod]
    public void VggStacksThreeByThreeConvolutionStagesAndAClassifier()
    {
        var net = ConvNets.Vgg(3, 32, 32, 10);
        string[] stage = ["Conv2d", "BatchNorm2d", "ReLU", "Conv2d", "BatchNorm2d", "ReLU", "MaxPool2d"];
        net.Layers.Select(l => l.GetType().Name).Should().Equal([.. stage, .. stage, .. stage, "Flatten", "Linear", "ReLU", "Dropout", "Linear"]);
        net.Layers.OfType<Conv2d>().Select(c => (c.InChannels, c.OutChannels, c.KernelSize, c.Padding, c.Bias is null))
            .Should().Equal((3, 32, (3, 3), (1, 1), true), (32, 32, (3, 3), (1, 1), true), (32, 64, (3, 3), (1, 1), true),
                (64, 64, (3, 3), (1, 1), true), (64, 128, (3, 3), (1, 1), true), (128, 128, (3, 3), (1, 1), true));
        ((Linear)net.Layers[22]).InFeatures.Should().Be(128 * 4 * 4);
        net.GetOutputShape([3, 32, 32]).Should().Equal(10);

        var plain = ConvNets.Vgg(1, 28, 28, 10, stageChannels: [8, 16], convsPerStage: 1, batchNorm: false, hiddenUnits: 32, dropout: 0f);
        plain.Layers.Select(l => l.GetType().Name).Should().Equal("Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear", "ReLU", "Dropout", "Linear");
        ((Conv2d)plain.Layers[0]).Bias.Should().NotBeNull();
        var tooSmall = () => ConvNets.Vgg(3, 4, 32, 10);
        tooSmall.Should().Throw<ArgumentOutOfRangeException>("three poolings need at least 8 pixels");
    }

    [TestMethod]
    public void ResNetIsTheCifarResNet20WithProjectionShortcuts()
    {
        var net = ConvNets.ResNet(3, 32, 32, 10);
        net.Layers.Select(l => l.GetType().Name).Should().Equal(
            ["Conv2d", "BatchNorm2d", "ReLU", .. Enumerable.Repeat("ResidualBlock", 9), "GlobalAvgPool2d", "Linear"]);
        var blocks = net.Layers.OfType<ResidualBlock>().ToArray();
        blocks.Select(b => b.Shortcut is not null).Should().Equal(false, false, false, true, false, false, true, false, false);
        blocks.Should().OnlyContain(b => b.Activation is ReLU);
        net.Layers.OfType<Conv2d>().Single().Bias.Should().BeNull();
        // 19 3×3 convolutions, their batch norms, 2 projections (1×1 convolution + batch norm) and the classifier.
        int convs = 3 * 9 * 16 + 6 * (16 * 16 * 9) + 32 * 16 * 9 + 5 * (32 * 32 * 9) + 64 * 32 * 9 + 5 * (64 * 64 * 9);
        int bns = 2 * (16 + 6 * 16 + 6 * 32 + 6 * 64), projections = 16 * 32 + 2 * 32 + 32 * 64 + 2 * 64;
        net.ParameterCount.Should().Be(convs + bns + projections + 64 * 10 + 10);
        net.GetOutputShape([3, 32, 32]).Should().Equal(10);
        ConvNets.ResNet(1, 28, 28, 10, stageChannels: [8, 16], blocksPerStage: 1).GetOutputShape([1, 28, 28]).Should().Equal(10);
    }

    [TestMethod]
    public void PresetsAreInitializedDeterministicallyAndRedrawnByInitialize()
    {
        var a = ConvNets.ResNet(3, 8, 8, 4, stageChannels: [4, 8], blocksPerStage: 1);
        var b = ConvNets.ResNet(3, 8, 8, 4, stageChannels: [4, 8], blocksPerStage: 1);
        float[] Values(Layer net) => net.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();
        Values(a).Should().Equal(Values(b));
        b.Initialize(new Rng(1));
        Values(a).Should().NotEqual(Values(b));
        // He normal (fan_out) convolutions: std √(2 / (C_out·9)) for the 4-channel stem.
        var stem = (Conv2d)a.Layers[0];
        double std = Math.Sqrt(stem.Weight.Value.Span.ToArray().Select(v => (double)v * v).Average());
        std.Should().BeInRange(0.5 * Math.Sqrt(2.0 / 36), 1.5 * Math.Sqrt(2.0 / 36));
    }
}
