using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// A differentiable building block of a network: it owns its parameters, its forward pass and its
/// backward pass (as in Caffe or Keras 1).
/// </summary>
/// <remarks>
/// <para><b>Shapes.</b> Tensors passed to <see cref="Forward"/> are batched, batch dimension first:
/// <c>(N, *)</c>. <see cref="GetOutputShape"/> works on the per-example shape <c>*</c> (no batch
/// dimension).</para>
/// <para><b>Contract.</b> <see cref="Forward"/> may keep a reference to its input until the matching
/// <see cref="Backward"/>; callers must not modify the input in between. <see cref="Backward"/> takes
/// dLoss/dOutput (shape of the last output), <b>overwrites</b> the gradients of the layer's
/// parameters, and returns dLoss/dInput, or <c>null</c> when <see cref="ComputeInputGradient"/> is false.
/// Returned tensors belong to the layer and are reused by its next call.</para>
/// </remarks>
public abstract class Layer
{
    /// <summary>The trainable parameters, in a fixed order (PyTorch's <c>named_parameters</c> order).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Non-trainable state that belongs to the model, e.g. BatchNorm running statistics. Saved and restored with the parameters.</summary>
    public virtual IReadOnlyList<Tensor> Buffers => [];

    /// <summary>
    /// When false, <see cref="Backward"/> skips dLoss/dInput and returns <c>null</c> (the first layer of a
    /// network needs no input gradient). Default true.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <summary>The per-example output shape for a per-example input shape.</summary>
    /// <exception cref="ArgumentException">The input shape is not one this layer accepts; the message says what was expected.</exception>
    public abstract int[] GetOutputShape(ReadOnlySpan<int> inputShape);

    /// <summary>Computes the layer's output for a batch.</summary>
    /// <param name="input">Batched input, <c>(N, *)</c>.</param>
    /// <param name="training">True while training (dropout active, batch statistics used), false for inference.</param>
    /// <returns>The output <c>(N, *)</c>, owned by the layer.</returns>
    public abstract Tensor Forward(Tensor input, bool training);

    /// <summary>Back-propagates dLoss/dOutput through the last <see cref="Forward"/> call made with <c>training</c> true.</summary>
    /// <param name="outputGradient">dLoss/dOutput, same shape as the last output.</param>
    /// <returns>dLoss/dInput (owned by the layer), or <c>null</c> when <see cref="ComputeInputGradient"/> is false.</returns>
    public abstract Tensor? Backward(Tensor outputGradient);

    /// <summary>
    /// (Re-)initializes the parameters from <paramref name="rng"/>, and seeds any random state of the layer
    /// (e.g. dropout masks) from it. Layers without parameters or randomness do nothing.
    /// </summary>
    public virtual void Initialize(Rng rng) { }

    /// <summary>
    /// Appends the ONNX nodes computing this layer's inference-mode forward pass to <paramref name="graph"/>.
    /// </summary>
    /// <param name="graph">The graph being built; parameters become initializers (copies of their current values).</param>
    /// <param name="input">The name of the value holding the layer's input, <c>[N, *inputShape]</c>.</param>
    /// <param name="inputShape">The per-example input shape (no batch dimension).</param>
    /// <returns>The name of the value holding the layer's output, <c>[N, *GetOutputShape(inputShape)]</c>.</returns>
    /// <exception cref="NotSupportedException">The layer has no ONNX export (the default).</exception>
    public virtual string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape) =>
        throw new NotSupportedException($"{Name} has no ONNX export yet.");

    /// <summary>The layer's display name (type name by default).</summary>
    public virtual string Name => GetType().Name;

    /// <inheritdoc />
    public override string ToString() => Name;
}
