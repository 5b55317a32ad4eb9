using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// One layer of a user-defined network, Keras-style: it names the layer and its hyperparameters, and the trainer
/// infers the input size of each layer from the previous one (so a spec list needs no channel counts). Used by
/// <see cref="ConvNetOptionsBase.Layers"/>.
/// </summary>
/// <remarks>
/// Shapes are per example: images <c>(C, H, W)</c>, vectors <c>(D)</c>. The trainer appends the output layer
/// (<c>Flatten</c> if needed, then <c>Linear(·, outputs)</c>).
/// </remarks>
public abstract record LayerSpec
{
    /// <summary>Creates the engine layer for the per-example input shape <paramref name="inputShape"/>.</summary>
    /// <exception cref="ArgumentException">The layer cannot take that input shape.</exception>
    public abstract Layer Build(IReadOnlyList<int> inputShape);

    private protected static int Channels(IReadOnlyList<int> shape, string layer) =>
        shape.Count == 3 ? shape[0] : throw new ArgumentException($"{layer} needs an image input (C, H, W); it got ({string.Join(", ", shape)}). Remove the Flatten/Dense before it.");

    private protected static int Features(IReadOnlyList<int> shape, string layer) =>
        shape.Count == 1 ? shape[0] : throw new ArgumentException($"{layer} needs a vector input (D); it got ({string.Join(", ", shape)}). Add a Flatten or GlobalAvgPool2d spec before it.");
}

/// <summary>
/// A 2-D convolution (PyTorch <c>Conv2d</c>, Keras <c>Conv2D</c>) with <see cref="Filters"/> output channels; see
/// <see cref="Conv2d"/> for the formula. Output size <c>⌊(H + 2·Padding − Dilation·(KernelSize − 1) − 1) / Stride⌋ + 1</c>
/// (likewise for the width).
/// </summary>
/// <param name="Filters">Output channels (≥ 1; divisible by <paramref name="Groups"/>).</param>
/// <param name="KernelSize">Square kernel size (≥ 1). Default 3.</param>
/// <param name="Stride">Stride (≥ 1). Default 1.</param>
/// <param name="Padding">Zero padding on each side (≥ 0). Default: <c>Dilation · ⌊KernelSize / 2⌋</c> ("same" for odd
/// kernels at stride 1; <c>KernelSize / 2</c> without dilation).</param>
/// <param name="Bias">Learn a bias. Default true.</param>
/// <param name="Dilation">Spacing between kernel taps (≥ 1; PyTorch <c>dilation</c>, Keras <c>dilation_rate</c>). Default 1.</param>
/// <param name="Groups">Channel groups (≥ 1; PyTorch <c>groups</c>): input and output channels are split into this many
/// blocks and each output block sees its input block only; the input channels must be divisible by it too
/// (<c>Groups</c> = input channels is a depthwise convolution). Default 1.</param>
/// <remarks><see cref="Build"/> throws <see cref="ArgumentException"/> (which <c>Fit</c> reports naming <c>Layers[i]</c>)
/// for a size out of range or channels not divisible by <paramref name="Groups"/>.</remarks>
public sealed record Conv2dSpec(int Filters, int KernelSize = 3, int Stride = 1, int? Padding = null, bool Bias = true, int Dilation = 1, int Groups = 1) : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape) =>
        new Conv2d(Channels(inputShape, "Conv2d"), Filters, KernelSize, stride: Stride, padding: Padding ?? Dilation * (KernelSize / 2),
            dilation: Dilation, groups: Groups, bias: Bias);
}

/// <summary>Max pooling (PyTorch <c>MaxPool2d</c>). Stride defaults to the kernel size.</summary>
/// <param name="KernelSize">Window size (≥ 1). Default 2.</param>
/// <param name="Stride">Stride, or null for <see cref="KernelSize"/>.</param>
/// <param name="Padding">Implicit padding on each side, never the maximum (0 to <c>KernelSize / 2</c>). Default 0.</param>
public sealed record MaxPool2dSpec(int KernelSize = 2, int? Stride = null, int Padding = 0) : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape)
    {
        Channels(inputShape, "MaxPool2d");
        return new MaxPool2d(KernelSize, Stride, Padding);
    }
}

/// <summary>Average pooling (PyTorch <c>AvgPool2d</c>). Stride defaults to the kernel size.</summary>
/// <param name="KernelSize">Window size (≥ 1). Default 2.</param>
/// <param name="Stride">Stride, or null for <see cref="KernelSize"/>.</param>
/// <param name="Padding">Zero padding on each side (0 to <c>KernelSize / 2</c>). Default 0.</param>
/// <param name="CountIncludePad">Divide by the whole window, padding included (PyTorch <c>count_include_pad</c>), or by
/// the pixels inside the image only. Default true.</param>
public sealed record AvgPool2dSpec(int KernelSize = 2, int? Stride = null, int Padding = 0, bool CountIncludePad = true) : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape)
    {
        Channels(inputShape, "AvgPool2d");
        return new AvgPool2d(KernelSize, Stride, Padding, CountIncludePad);
    }
}

/// <summary>Global average pooling: <c>(C, H, W) → (C)</c>.</summary>
public sealed record GlobalAvgPool2dSpec : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape)
    {
        Channels(inputShape, "GlobalAvgPool2d");
        return new GlobalAvgPool2d();
    }
}

/// <summary>Batch normalization: <c>BatchNorm2d</c> on images, <c>BatchNorm1d</c> on vectors.</summary>
public sealed record BatchNormSpec : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape) =>
        inputShape.Count == 3 ? new BatchNorm2d(inputShape[0]) : new BatchNorm1d(Features(inputShape, "BatchNorm"));
}

/// <summary>An activation (see <see cref="ActivationKind"/>).</summary>
/// <param name="Kind">The activation. Default ReLU.</param>
public sealed record ActivationSpec(ActivationKind Kind = ActivationKind.ReLU) : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape) => MlpOptionsBase.CreateActivation(Kind, 0.01f);
}

/// <summary>Inverted dropout with probability <see cref="Rate"/> in [0, 1).</summary>
/// <param name="Rate">The drop probability.</param>
public sealed record DropoutSpec(float Rate) : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape) => new Dropout(Rate);
}

/// <summary>Flattens <c>(C, H, W)</c> to <c>(C·H·W)</c>.</summary>
public sealed record FlattenSpec : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape) => new Flatten();
}

/// <summary>A fully connected layer (PyTorch <c>Linear</c>, Keras <c>Dense</c>) with <see cref="Units"/> outputs.</summary>
/// <param name="Units">Output features (≥ 1).</param>
public sealed record DenseSpec(int Units) : LayerSpec
{
    /// <inheritdoc />
    public override Layer Build(IReadOnlyList<int> inputShape) => new Linear(Features(inputShape, "Dense"), Units);
}

/// <summary>
/// A residual block <c>y = F(x) + S(x)</c> (He et al. 2016) where <c>F</c> is <see cref="Body"/> and <c>S</c> the identity,
/// or, when <c>F</c> changes the shape, a 1×1 convolution with the smallest stride that gives <c>F</c>'s output size (see
/// <see cref="ResidualBlock.Create"/>); an optional activation follows the sum.
/// </summary>
/// <param name="Body">The residual branch.</param>
/// <param name="ActivationAfter">Activation after the addition, or null. Default ReLU.</param>
public sealed record ResidualSpec(IReadOnlyList<LayerSpec> Body, ActivationKind? ActivationAfter = ActivationKind.ReLU) : LayerSpec
{
    /// <inheritdoc />
    /// <exception cref="ArgumentException">A layer of <see cref="Body"/> cannot take its input (the message names <c>Body[i]</c>),
    /// or the body changes the shape in a way no 1×1 convolution shortcut reproduces.</exception>
    public override Layer Build(IReadOnlyList<int> inputShape)
    {
        var (branch, _) = ConvNetOptionsBase.BuildStack(Body, inputShape, nameof(Body));
        var activation = ActivationAfter is ActivationKind a ? MlpOptionsBase.CreateActivation(a, 0.01f) : null;
        return ResidualBlock.Create(branch, inputShape.ToArray(), activation, projectionBatchNorm: false);
    }

    /// <summary>Prints the body's specs (not the list type) in <c>ToString</c>, e.g. in error messages.</summary>
    protected override bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Body = [").AppendJoin(", ", Body ?? []).Append("], ActivationAfter = ").Append(ActivationAfter?.ToString() ?? "null");
        return true;
    }
}
