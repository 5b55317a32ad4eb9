using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Initializers;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Fully connected (dense) layer: <c>y = x·Wᵀ + b</c> (PyTorch <c>nn.Linear</c>, Keras <c>Dense</c> without activation).
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>inFeatures</c>: size of each input row <c>H_in</c>. <c>outFeatures</c>: size of each
/// output row <c>H_out</c>. <c>bias</c>: learn an additive bias (default true). <c>weightInitializer</c> /
/// <c>biasInitializer</c>: override the default initialization (below); both receive
/// <c>fanIn = H_in</c>, <c>fanOut = H_out</c>.</para>
/// <para><b>Shape.</b> Input <c>(N, H_in)</c>; output <c>(N, H_out)</c>. Inputs of higher rank are rejected
/// (insert a <see cref="Flatten"/> first).</para>
/// <para><b>Attributes.</b> <c>weight</c>: <c>[H_out, H_in]</c> (PyTorch layout), a weight (<see cref="Parameter.IsWeight"/>),
/// initialized from <c>U(-1/√H_in, 1/√H_in)</c> (PyTorch's default, see <see cref="FanInUniform"/>).
/// <c>bias</c>: <c>[H_out]</c>, not a weight, initialized from the same distribution.</para>
/// <para><b>Gradients.</b> <c>dX = dY·W</c>, <c>dW = dYᵀ·X</c>, <c>db = Σ_rows dY</c>; all three products run
/// through <see cref="Gemm.Multiply(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>.</para>
/// <para><b>ONNX.</b> <c>Gemm(x, weight, bias, transB=1)</c> with the weight stored <c>[H_out, H_in]</c> and the
/// initializers named after the parameters (<c>0.weight</c>, <c>0.bias</c> inside a <see cref="Sequential"/>);
/// without a bias the <c>Gemm</c> has no <c>C</c> input (opset 11 or later).</para>
/// <para><b>Initialization.</b> The constructor initializes from a fixed seed so that a fresh layer is usable
/// and deterministic; <see cref="Initialize"/> (called by <see cref="Sequential.Initialize"/> and the trainers)
/// re-draws the weight, then the bias, from the given generator.</para>
/// </remarks>
/// <example><code>
/// var fc = new Linear(64, 10);            // weight [10, 64], bias [10]
/// fc.Initialize(new Rng(42));
/// Tensor y = fc.Forward(x, training: true); // x: (N, 64) → y: (N, 10)
/// </code></example>
public sealed class Linear : Layer
{
    private const ulong DefaultSeed = 0x4C696E656172UL;
    private readonly Parameter[] _parameters;
    private readonly int[] _inRow;
    private readonly int[] _outRow;
    private readonly Tensor _output = new(0, 0);
    private readonly Tensor _inputGradient = new(0, 0);
    private Tensor? _input;
    private bool _hasOutput;

    /// <summary>Creates a dense layer.</summary>
    /// <param name="inFeatures">Input row size <c>H_in</c> (≥ 1).</param>
    /// <param name="outFeatures">Output row size <c>H_out</c> (≥ 1).</param>
    /// <param name="bias">Whether to learn an additive bias. Default true.</param>
    /// <param name="weightInitializer">Weight initializer; default <see cref="FanInUniform"/> (PyTorch).
    /// Keras' default would be <see cref="GlorotUniform"/>.</param>
    /// <param name="biasInitializer">Bias initializer; default <see cref="FanInUniform"/> (PyTorch).
    /// Keras' default would be <see cref="Constant.Zeros"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">A feature count is below 1.</exception>
    public Linear(int inFeatures, int outFeatures, bool bias = true,
        IInitializer? weightInitializer = null, IInitializer? biasInitializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inFeatures, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outFeatures, 1);
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        WeightInitializer = weightInitializer ?? FanInUniform.Instance;
        BiasInitializer = biasInitializer ?? FanInUniform.Instance;
        Weight = new Parameter("weight", new Tensor(outFeatures, inFeatures), isWeight: true);
        Bias = bias ? new Parameter("bias", new Tensor(outFeatures), isWeight: false) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
        _inRow = [inFeatures];
        _outRow = [outFeatures];
        Initialize(new Rng(DefaultSeed));
    }

    /// <summary>Input row size <c>H_in</c>.</summary>
    public int InFeatures { get; }

    /// <summary>Output row size <c>H_out</c>.</summary>
    public int OutFeatures { get; }

    /// <summary>The weight <c>[H_out, H_in]</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>The bias <c>[H_out]</c>, or null when the layer was created with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>The weight initializer used by <see cref="Initialize"/>.</summary>
    public IInitializer WeightInitializer { get; }

    /// <summary>The bias initializer used by <see cref="Initialize"/>.</summary>
    public IInitializer BiasInitializer { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public override string Name => Bias is null ? $"Linear({InFeatures}, {OutFeatures}, bias: false)" : $"Linear({InFeatures}, {OutFeatures})";

    /// <summary>Returns <c>[H_out]</c> for input <c>[H_in]</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[H_in]</c>.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 1 || inputShape[0] != InFeatures)
            throw ShapeError(LayerChecks.Batched(inputShape));
        return [OutFeatures];
    }

    /// <summary>Draws the weight, then the bias, from <paramref name="rng"/> with the configured initializers.</summary>
    public override void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        WeightInitializer.Initialize(Weight.Value.Span, InFeatures, OutFeatures, rng);
        if (Bias is not null)
            BiasInitializer.Initialize(Bias.Value.Span, InFeatures, OutFeatures, rng);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not <c>(N, H_in)</c>.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (input.Rank != 2 || input.Dim(1) != InFeatures)
            throw ShapeError(LayerChecks.BatchedOf(input));
        int n = input.Dim(0);
        _output.ResizeBatch(n, _outRow);
        Span<float> y = _output.Span;
        float beta = 0f;
        if (Bias is not null)
        {
            ReadOnlySpan<float> b = Bias.Value.Span;
            for (int r = 0; r < n; r++) b.CopyTo(y.Slice(r * OutFeatures, OutFeatures));
            beta = 1f;
        }
        Gemm.Multiply(false, true, n, OutFeatures, InFeatures, 1f,
            input.Span, InFeatures, Weight.Value.Span, InFeatures, beta, y, OutFeatures);
        _input = input;
        _hasOutput = true;
        return _output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _hasOutput ? _output : null, this);
        Tensor x = _input!;
        int n = x.Dim(0);
        ReadOnlySpan<float> dy = outputGradient.Span;

        // dW[out, in] = dYᵀ[out, N] · X[N, in]
        Gemm.Multiply(true, false, OutFeatures, InFeatures, n, 1f,
            dy, OutFeatures, x.Span, InFeatures, 0f, Weight.Gradient.Span, InFeatures);

        if (Bias is not null)
        {
            Span<float> db = Bias.Gradient.Span;
            db.Clear();
            for (int r = 0; r < n; r++)
                TensorPrimitives.Add(db, dy.Slice(r * OutFeatures, OutFeatures), db);
        }

        if (!ComputeInputGradient) return null;
        // dX[N, in] = dY[N, out] · W[out, in]
        _inputGradient.ResizeBatch(n, _inRow);
        Gemm.Multiply(false, false, n, InFeatures, OutFeatures, 1f,
            dy, OutFeatures, Weight.Value.Span, InFeatures, 0f, _inputGradient.Span, InFeatures);
        return _inputGradient;
    }

    /// <summary>Emits <c>Gemm(input, weight, bias, transB=1)</c>: <c>(N, H_in) → (N, H_out)</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[H_in]</c>.</exception>
    /// <exception cref="NotSupportedException">The layer has no bias and the graph's opset is below 11 (where <c>Gemm</c> needs <c>C</c>).</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        if (Bias is null) OnnxEmit.RequireOpset(graph, 11, this, "Gemm without a C input");
        string weight = graph.AddInitializer(Weight.Name, Weight.Value);
        string[] inputs = Bias is null ? [input, weight] : [input, weight, graph.AddInitializer(Bias.Name, Bias.Value)];
        return graph.Apply("Gemm", inputs, OnnxAttribute.Int("transB", 1));
    }

    private ArgumentException ShapeError(string got) =>
        new($"Linear expects (N, {InFeatures}) input, got {got}." +
            (got.Count(c => c == ',') > 1 ? " Insert a Flatten layer before it to feed multi-dimensional examples." : ""));
}
