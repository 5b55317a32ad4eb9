using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>The nodes, attributes and initializer names the layers emit (the values are checked by <see cref="LayerOnnxParityTests"/>).</summary>
[TestClass]
public sealed class LayerOnnxGraphTests
{
    [TestMethod]
    public void InitializersAreNamedAfterTheParameters()
    {
        var net = new Sequential(new Linear(4, 3), new BatchNorm1d(3), new ReLU(), new Linear(3, 2, bias: false));

        var graph = OnnxExporter.Export(net, [4]).BuildModel().Graph;

        graph.Initializer.Select(t => t.Name).Should().Equal(
            "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "3.weight");
        graph.Initializer[0].Dims.Should().Equal(3, 4);
    }

    [TestMethod]
    public void LinearEmitsGemmWithTransposedWeightAndOptionalBias()
    {
        var net = new Sequential(new Linear(4, 3), new Linear(3, 2, bias: false));

        var nodes = OnnxExporter.Export(net, [4]).BuildModel().Graph.Node;

        nodes.Select(n => n.OpType).Should().Equal("Gemm", "Gemm", "Identity");
        nodes[0].Input.Should().HaveCount(3);
        nodes[1].Input.Should().HaveCount(2, "a Linear without bias has no C input");
        foreach (var gemm in nodes.Take(2))
        {
            gemm.Attribute.Should().ContainSingle();
            gemm.Attribute[0].Name.Should().Be("transB");
            gemm.Attribute[0].I.Should().Be(1);
        }
    }

    [TestMethod]
    public void DropoutEmitsNoNode()
    {
        var net = new Sequential(new Dropout(0.5f), new ReLU(), new Dropout(0.1f));

        var nodes = OnnxExporter.Export(net, [5]).BuildModel().Graph.Node;

        nodes.Select(n => n.OpType).Should().Equal("Relu", "Identity");
        nodes[0].Input.Should().Equal("input");
    }

    [TestMethod]
    public void BatchNorm1dWritesItsEpsilonAndUnitScaleWhenNotAffine()
    {
        var layer = new BatchNorm1d(3, eps: 1e-3, affine: false);

        var graph = OnnxExporter.Export(layer, [3, 5]).BuildModel().Graph;

        var node = graph.Node[0];
        node.OpType.Should().Be("BatchNormalization");
        node.Attribute.Single(a => a.Name == "epsilon").F.Should().Be(1e-3f);
        graph.Initializer.Select(t => t.Name).Should().Equal(
            "batchnorm.weight", "batchnorm.bias", "batchnorm.running_mean", "batchnorm.running_var");
        var scale = graph.Initializer[0].RawData.ToByteArray();
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(scale).ToArray().Should().Equal(1f, 1f, 1f);
    }

    [TestMethod]
    [DataRow("Flatten", "Flatten", "axis", 1L)]
    [DataRow("Softmax", "Softmax", "axis", -1L)]
    [DataRow("LogSoftmax", "LogSoftmax", "axis", -1L)]
    public void AxisAttributes(string kind, string opType, string attribute, long value)
    {
        Layer layer = kind switch
        {
            "Flatten" => new Flatten(),
            "Softmax" => new Softmax(),
            _ => new LogSoftmax(),
        };

        var node = OnnxExporter.Export(layer, [2, 3]).BuildModel().Graph.Node[0];

        node.OpType.Should().Be(opType);
        node.Attribute.Single(a => a.Name == attribute).I.Should().Be(value);
    }

    [TestMethod]
    public void GeluComposesErfBecauseOpset17HasNoGelu()
    {
        var nodes = OnnxExporter.Export(new GELU(), [4]).BuildModel().Graph.Node;

        nodes.Select(n => n.OpType).Should().Equal("Div", "Erf", "Add", "Mul", "Mul", "Identity");
    }

    [TestMethod]
    public void SoftplusWithInfiniteThresholdHasNoLinearBranch()
    {
        var nodes = OnnxExporter.Export(new Softplus(1f, float.PositiveInfinity), [4]).BuildModel().Graph.Node;

        nodes.Select(n => n.OpType).Should().Equal("Softplus", "Identity");
    }

    [TestMethod]
    [DataRow(1f, 20f)]
    [DataRow(3f, 2f)]
    [DataRow(0.7f, 1.3f)]
    [DataRow(1e-3f, 20f)]
    [DataRow(5f, -4f)]
    [DataRow(1e-30f, 1e10f)]
    public void SoftplusCutoffIsTheLastFloatBelowTheThreshold(float beta, float threshold)
    {
        float t = Softplus.LinearCutoff(beta, threshold);

        ((double)t * beta).Should().BeLessThanOrEqualTo(threshold);
        if (t < float.MaxValue)
            ((double)MathF.BitIncrement(t) * beta).Should().BeGreaterThan(threshold);
    }

    [TestMethod]
    public void LowOpsetsAreRejectedWhereAnOperatorIsMissing()
    {
        var noBias = () => OnnxExporter.Export(new Linear(2, 2, bias: false), [2], new OnnxExportOptions { OpsetVersion = 10 });
        var gelu = () => OnnxExporter.Export(new GELU(), [2], new OnnxExportOptions { OpsetVersion = 8 });

        noBias.Should().Throw<NotSupportedException>().WithMessage("*opset 11*");
        gelu.Should().Throw<NotSupportedException>().WithMessage("*Erf*opset 9*");
    }

    [TestMethod]
    public void ExportReflectsTheCurrentParameterValues()
    {
        var layer = new Linear(2, 1);
        byte[] before = OnnxExporter.ExportBytes(layer, [2]);

        layer.Weight.Value.Fill(42f);
        byte[] after = OnnxExporter.ExportBytes(layer, [2]);

        after.Should().NotEqual(before);
        OnnxExporter.ExportBytes(layer, [2]).Should().Equal(after, "export is deterministic");
    }
}
