using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>
/// Minimal dense layer (y = x Wᵀ + b, W of shape (out, in)) with an ONNX emission, for exporter tests only;
/// the library's Linear layer is written elsewhere.
/// </summary>
internal sealed class TestDense : Layer
{
    private readonly Parameter _weight, _bias;
    private readonly Tensor _output = new(0, 0);

    public TestDense(int inFeatures, int outFeatures)
    {
        _weight = new Parameter("weight", new Tensor(outFeatures, inFeatures), isWeight: true);
        _bias = new Parameter("bias", new Tensor(outFeatures), isWeight: false);
    }

    public override IReadOnlyList<Parameter> Parameters => [_weight, _bias];

    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => [_weight.Value.Dim(0)];

    public override void Initialize(Rng rng)
    {
        var w = _weight.Value.Span;
        for (int i = 0; i < w.Length; i++) w[i] = MathF.Sin(i * 1.3f + 0.2f) * 0.7f;
        var b = _bias.Value.Span;
        for (int i = 0; i < b.Length; i++) b[i] = 0.1f * i - 0.05f;
    }

    public override Tensor Forward(Tensor input, bool training)
    {
        int n = input.BatchSize, inF = _weight.Value.Dim(1), outF = _weight.Value.Dim(0);
        _output.ResizeBatch(n, [outF]);
        for (int r = 0; r < n; r++)
            for (int o = 0; o < outF; o++)
            {
                double s = _bias.Value[o];
                for (int i = 0; i < inF; i++) s += (double)_weight.Value[o, i] * input[r * inF + i];
                _output[r * outF + o] = (float)s;
            }
        return _output;
    }

    public override Tensor? Backward(Tensor outputGradient) => throw new NotSupportedException();

    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        string w = graph.AddInitializer("dense_weight", _weight.Value);
        string b = graph.AddInitializer("dense_bias", _bias.Value);
        return graph.Apply("Gemm", [input, w, b], OnnxAttribute.Int("transB", 1));
    }
}

/// <summary>Minimal ReLU with an ONNX emission, for exporter tests only.</summary>
internal sealed class TestRelu : Layer
{
    private readonly Tensor _output = new(0, 0);

    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    public override Tensor Forward(Tensor input, bool training)
    {
        _output.Resize(input.Shape);
        for (int i = 0; i < input.Length; i++) _output[i] = Math.Max(0, input[i]);
        return _output;
    }

    public override Tensor? Backward(Tensor outputGradient) => throw new NotSupportedException();

    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape) => graph.Apply("Relu", [input]);
}
