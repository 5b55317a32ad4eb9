using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Inverted dropout (PyTorch <c>nn.Dropout</c>, Keras <c>Dropout</c>; Srivastava et al., "Dropout: A Simple
/// Way to Prevent Neural Networks from Overfitting", JMLR 2014). In training each element is zeroed with
/// probability <c>p</c> and the kept ones are scaled by <c>1/(1-p)</c>, so that inference needs no rescaling:
/// <c>y = x · m / (1-p)</c>, <c>m ~ Bernoulli(1-p)</c>. In inference the layer is the identity.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>p</c>: drop probability in [0, 1). Default 0.5.</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Randomness.</b> Masks come from the layer's own <see cref="Rng"/>: element <c>i</c> is kept when the
/// next <see cref="Rng.NextFloat"/> is ≥ <c>p</c>, in row-major order. The generator is seeded from a fixed
/// default at construction and re-seeded by <see cref="Initialize"/>, so a seed fixes every mask.</para>
/// <para><b>Gradient.</b> <c>dx = dy · m / (1-p)</c> with the mask of the last training forward.</para>
/// <para><b>Identity passes.</b> In inference, and in training when <c>p = 0</c>, <see cref="Forward"/> returns
/// its input object itself and <see cref="Backward"/> returns the incoming gradient object itself (no copy),
/// as PyTorch does.</para>
/// <para><b>ONNX.</b> Exported for inference, where dropout is the identity: no node is emitted.</para>
/// </remarks>
public sealed class Dropout : Layer
{
    private const ulong DefaultSeed = 0x44726F706F7574UL;
    private readonly float _scale;
    private readonly Tensor _mask = new(0);
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);
    private Rng _rng = new(DefaultSeed);
    private Tensor? _lastOutput;
    private bool _masked;

    /// <summary>Creates a dropout layer.</summary>
    /// <param name="p">Probability of zeroing an element, in [0, 1). Default 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1) or NaN.</exception>
    public Dropout(float p = 0.5f)
    {
        if (!(p >= 0f && p < 1f))
            throw new ArgumentOutOfRangeException(nameof(p), p, $"Dropout probability must be in [0, 1), got {p}.");
        P = p;
        _scale = 1f / (1f - p);
    }

    /// <summary>The drop probability.</summary>
    public float P { get; }

    /// <inheritdoc />
    public override string Name => $"Dropout({P})";

    /// <inheritdoc />
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => inputShape.ToArray();

    /// <summary>Re-seeds the mask generator from <paramref name="rng"/> (one draw).</summary>
    public override void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        _rng = new Rng(rng.NextUInt64());
    }

    /// <summary>Emits nothing: in inference dropout is the identity, so the output is <paramref name="input"/> itself.</summary>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrEmpty(input);
        return input;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input has no batch dimension.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (!training || P == 0f)
        {
            _masked = false;
            _lastOutput = input;
            return input;
        }
        _mask.Resize(input.Shape);
        _output.Resize(input.Shape);
        Span<float> mask = _mask.Span;
        for (int i = 0; i < mask.Length; i++)
            mask[i] = _rng.NextFloat() >= P ? _scale : 0f;
        TensorPrimitives.Multiply(input.Span, mask, _output.Span);
        _masked = true;
        _lastOutput = _output;
        return _output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _lastOutput, this);
        if (!ComputeInputGradient) return null;
        if (!_masked) return outputGradient;
        _inputGradient.Resize(outputGradient.Shape);
        TensorPrimitives.Multiply(outputGradient.Span, _mask.Span, _inputGradient.Span);
        return _inputGradient;
    }
}
