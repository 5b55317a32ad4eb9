using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Networks;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>The nodes, attributes and initializer names the image layers emit (values: <see cref="ConvLayerOnnxParityTests"/>).</summary>
[TestClass]
public sealed class ConvLayerOnnxGraphTests
{
    [TestMethod]
    public void Conv2dWritesAllItsAttributesAndOptionalBias()
    {
        var net = new Sequential(new Conv2d(4, 6, (3, 5), stride: (2, 1), padding: (1, 2), dilation: (1, 2), groups: 2), new Conv2d(6, 2, 1, bias: false));
        var graph = OnnxExporter.Export(net, [4, 10, 12]).BuildModel().Graph;
        graph.Node.Select(n => n.OpType).Should().Equal("Conv", "Conv", "Identity");
        graph.Initializer.Select(t => t.Name).Should().Equal("0.weight", "0.bias", "1.weight");
        graph.Initializer[0].Dims.Should().Equal(6, 2, 3, 5);
        var attributes = graph.Node[0].Attribute.ToDictionary(a => a.Name, a => a.Ints.ToArray());
        attributes["kernel_shape"].Should().Equal(3, 5);
        attributes["strides"].Should().Equal(2, 1);
        attributes["pads"].Should().Equal(1, 2, 1, 2);
        attributes["dilations"].Should().Equal(1, 2);
        graph.Node[0].Attribute.Single(a => a.Name == "group").I.Should().Be(2);
        graph.Node[1].Input.Should().HaveCount(2, "a Conv2d without bias has no B input");
    }

    [TestMethod]
    public void PoolingLayersEmitMaxPoolAveragePoolAndGlobalAveragePoolWithFlatten()
    {
        var net = new Sequential(new MaxPool2d(3, 2, 1), new AvgPool2d(2, countIncludePad: false), new GlobalAvgPool2d());
        var nodes = OnnxExporter.Export(net, [3, 16, 16]).BuildModel().Graph.Node;
        nodes.Select(n => n.OpType).Should().Equal("MaxPool", "AveragePool", "GlobalAveragePool", "Flatten", "Identity");
        nodes[0].Attribute.Single(a => a.Name == "pads").Ints.Should().Equal(1, 1, 1, 1);
        nodes[1].Attribute.Single(a => a.Name == "count_include_pad").I.Should().Be(0);
        nodes[3].Attribute.Single(a => a.Name == "axis").I.Should().Be(1);
    }

    [TestMethod]
    public void ResidualBlockAddsTheBranchesAndNamesNestedInitializers()
    {
        var net = ConvNets.ResNet(3, 8, 8, 4, stageChannels: [4, 8], blocksPerStage: 1);
        var graph = OnnxExporter.Export(net, [3, 8, 8]).BuildModel().Graph;
        graph.Node.Count(n => n.OpType == "Add").Should().Be(2);
        graph.Node.Count(n => n.OpType == "Conv").Should().Be(1 + 2 + 3, "stem, two in the first block, two plus the projection in the second");
        graph.Initializer.Select(t => t.Name).Should().Contain(["3.residual.0.weight", "4.shortcut.0.weight", "4.shortcut.1.running_var"]);
    }
}
