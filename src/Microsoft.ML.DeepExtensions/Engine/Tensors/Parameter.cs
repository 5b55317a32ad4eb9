namespace Microsoft.ML.DeepExtensions.Engine;

/// <summary>
/// A trainable tensor of a layer and the gradient of the loss with respect to it.
/// </summary>
/// <remarks>
/// <see cref="Gradient"/> always has the shape of <see cref="Value"/>. A layer's <c>Backward</c>
/// <b>overwrites</b> the gradients of its parameters (it does not accumulate); optimizers read them.
/// </remarks>
public sealed class Parameter
{
    /// <summary>Creates a parameter holding <paramref name="value"/> and a zero gradient of the same shape.</summary>
    /// <param name="name">A short name, unique within its layer (e.g. <c>weight</c>, <c>bias</c>).</param>
    /// <param name="value">The initial value; the parameter takes ownership.</param>
    /// <param name="isWeight">True for weights (subject to L1/L2 penalties and weight decay),
    /// false for biases and normalization parameters (exempt from L1/L2 penalties, as in Keras' kernel regularizers).</param>
    public Parameter(string name, Tensor value, bool isWeight)
    {
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
        Gradient = new Tensor(value.Shape);
        IsWeight = isWeight;
    }

    /// <summary>The parameter's name within its layer; <see cref="Layers.Sequential"/> prefixes it with the layer index (e.g. <c>0.weight</c>).</summary>
    public string Name { get; internal set; }

    /// <summary>The current value.</summary>
    public Tensor Value { get; }

    /// <summary>dLoss/dValue from the last backward pass; same shape as <see cref="Value"/>.</summary>
    public Tensor Gradient { get; }

    /// <summary>True for weight matrices and kernels; false for biases and normalization scales/shifts.</summary>
    public bool IsWeight { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Value.ShapeString()}";
}
