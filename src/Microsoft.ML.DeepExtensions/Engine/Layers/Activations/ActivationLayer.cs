namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Base class of the parameter-free activation layers: the output has the input's shape and each
/// output depends on the input through a fixed function (point-wise, or over the last dimension for
/// <see cref="Softmax"/> and <see cref="LogSoftmax"/>).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, *)</c>, any number of trailing dimensions; output <c>(N, *)</c>, same shape.</para>
/// <para><b>Memory.</b> The output and input-gradient tensors are kept between calls and resized, so
/// steady-state Forward/Backward calls allocate nothing. The layer keeps a reference to its last input
/// (and output) for the backward pass.</para>
/// </remarks>
public abstract class ActivationLayer : Layer
{
    private readonly Tensor _output = new(0);
    private readonly Tensor _inputGradient = new(0);
    private Tensor? _input;
    private bool _hasOutput;

    /// <summary>Returns <paramref name="inputShape"/> unchanged (after <see cref="ValidateShape"/>).</summary>
    /// <exception cref="ArgumentException">The shape is not accepted (see <see cref="ValidateShape"/>).</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        ValidateShape(inputShape);
        return inputShape.ToArray();
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input has no batch dimension or a shape the activation rejects.</exception>
    public sealed override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        ValidateShape(input.Shape[1..]);
        _output.Resize(input.Shape);
        if (input.Length > 0) ForwardCore(input, _output); // an empty batch: some kernels (TensorPrimitives) reject empty spans
        _input = input;
        _hasOutput = true;
        return _output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient's shape differs from the last output's.</exception>
    public sealed override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _hasOutput ? _output : null, this);
        if (!ComputeInputGradient) return null;
        _inputGradient.Resize(_output.Shape);
        if (_output.Length > 0) BackwardCore(_input!, _output, outputGradient, _inputGradient);
        return _inputGradient;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the per-example shape (no batch dimension) is not accepted. Accepts every shape by default.</summary>
    protected virtual void ValidateShape(ReadOnlySpan<int> perExampleShape) { }

    /// <summary>Computes <paramref name="output"/> (already shaped like <paramref name="input"/>) from <paramref name="input"/>.</summary>
    protected abstract void ForwardCore(Tensor input, Tensor output);

    /// <summary>Writes dLoss/dInput into <paramref name="inputGradient"/> (already shaped like the input).</summary>
    protected abstract void BackwardCore(Tensor input, Tensor output, Tensor outputGradient, Tensor inputGradient);
}
