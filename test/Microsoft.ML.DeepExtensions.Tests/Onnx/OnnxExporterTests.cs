using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

[TestClass]
public sealed class OnnxExporterTests
{
    private static Sequential Mlp(int seed)
    {
        var net = new Sequential(new TestDense(4, 6), new TestRelu(), new TestDense(6, 3));
        net.Initialize(new Rng((ulong)seed));
        return net;
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    public void ExportedNetworkMatchesManagedForward(int batch)
    {
        var net = Mlp(42);
        var x = new Tensor(batch, 4);
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Cos(i * 0.9f) * 1.5f;
        var expected = net.Forward(x, training: false).Clone();

        byte[] model = OnnxExporter.ExportBytes(net, [4]);
        var result = OrtRunner.RunSingle(model, "input", x.Span.ToArray(), [batch, 4], "output");

        result.Shape.Should().Equal(batch, 3);
        TensorAssert.Close(result.Data, expected.Span, TensorAssert.ReductionRelative, 1e-5, "ONNX vs managed forward");
    }

    [TestMethod]
    public void ExportUsesOptionNamesBatchDimensionAndMetadata()
    {
        var options = new OnnxExportOptions { InputName = "Features", OutputName = "logits", BatchDimension = "batch" };
        options.Metadata["label_names"] = "a|b|c";

        byte[] model = OnnxExporter.ExportBytes(Mlp(1), [4], options);

        using var session = new InferenceSession(model);
        session.InputMetadata.Keys.Should().Equal("Features");
        session.InputMetadata["Features"].SymbolicDimensions[0].Should().Be("batch");
        session.OutputMetadata.Keys.Should().Equal("logits");
        session.OutputMetadata["logits"].Dimensions.Should().Equal(-1, 3);
        session.ModelMetadata.CustomMetadataMap.Should().Contain("label_names", "a|b|c");
    }

    [TestMethod]
    public void LayerWithoutExportNamesItselfInTheError()
    {
        var net = new Sequential(new TestDense(2, 2), new NoExportLayer());
        var act = () => OnnxExporter.Export(net, [2]);
        act.Should().Throw<NotSupportedException>().WithMessage("NoExportLayer has no ONNX export yet.");
    }

    [TestMethod]
    public void ExportedGraphCanBeExtendedWithASecondOutput()
    {
        var net = Mlp(3);
        var graph = OnnxExporter.Export(net, [4]);
        graph.AddNode("Softmax", ["output"], ["probabilities"], [OnnxAttribute.Int("axis", -1)]);
        graph.AddOutput("probabilities", [3]);
        var x = new Tensor(2, 4);
        x.Fill(0.5f);

        var results = OrtRunner.Run(graph.ToBytes(), "input", x.Span.ToArray(), [2, 4], "output", "probabilities");

        float[] logits = results["output"].Data, p = results["probabilities"].Data;
        for (int r = 0; r < 2; r++)
        {
            double sum = 0;
            for (int c = 0; c < 3; c++) sum += Math.Exp(logits[r * 3 + c]);
            for (int c = 0; c < 3; c++) p[r * 3 + c].Should().BeApproximately((float)(Math.Exp(logits[r * 3 + c]) / sum), 1e-6f);
        }
    }

    private sealed class NoExportLayer : Layer
    {
        public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();
        public override Tensor Forward(Tensor input, bool training) => input;
        public override Tensor? Backward(Tensor outputGradient) => outputGradient;
    }
}
