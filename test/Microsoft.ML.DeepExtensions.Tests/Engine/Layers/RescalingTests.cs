using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = Microsoft.ML.DeepExtensions.Engine.Tensor;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class RescalingTests
{
    [TestMethod]
    public void ComputesScaleTimesInputPlusOffset()
    {
        var layer = new Rescaling(scale: 2.5f, offset: -3f);
        var x = new Tensor([1f, -2f, 0f, 4f, 0.5f, 7f], 2, 3);
        layer.Forward(x, training: true).Span.ToArray().Should().Equal(-0.5f, -8f, -3f, 7f, -1.75f, 14.5f);
        layer.GetOutputShape([3]).Should().Equal(3);
        layer.Parameters.Should().BeEmpty();
    }

    [TestMethod]
    public void GradientMatchesFiniteDifferences()
    {
        var rng = new Rng(3);
        var x = new Tensor(3, 7);
        for (int i = 0; i < x.Length; i++) x[i] = 2f * rng.NextFloat() - 1f;
        GradientCheck.Check(new Rescaling(-1.7f, 0.3f), x);
    }

    [TestMethod]
    public void RejectsNonFiniteArguments()
    {
        ((Action)(() => new Rescaling(float.NaN))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("scale");
        ((Action)(() => new Rescaling(1f, float.PositiveInfinity))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("offset");
    }

    [TestMethod]
    public void OnnxExportEqualsForward()
    {
        var layer = new Rescaling(77.3f, 152.1f);
        var x = new Tensor(5, 2);
        for (int i = 0; i < x.Length; i++) x[i] = i * 0.37f - 1.1f;
        using var session = new InferenceSession(OnnxExporter.ExportBytes(layer, [2]));
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", new DenseTensor(x.Span.ToArray(), new[] { 5, 2 }))]);
        var onnx = results.First().AsEnumerable<float>().ToArray();
        TensorAssert.Close(onnx, layer.Forward(x, training: false).Span, 1e-6, 1e-5, "Rescaling ONNX");
    }
}
