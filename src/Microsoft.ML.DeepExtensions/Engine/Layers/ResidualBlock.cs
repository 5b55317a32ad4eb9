using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// A residual block (He, Zhang, Ren &amp; Sun, "Deep Residual Learning for Image Recognition", CVPR 2016):
/// <c>y = act(F(x) + S(x))</c>, where <c>F</c> is the residual branch (e.g. Conv-BN-ReLU-Conv-BN), <c>S</c> the
/// shortcut (the identity, or a projection when <c>F</c> changes the shape) and <c>act</c> an optional activation
/// after the addition (ResNet's ReLU).
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>residual</c>: the branch <c>F</c>, any layer (typically a <see cref="Sequential"/>).
/// <c>shortcut</c>: the branch <c>S</c>; null (default) for the identity. <see cref="Projection"/> builds ResNet's
/// option-B shortcut (1×1 convolution with stride, then batch normalization), and <see cref="Create"/> adds it
/// automatically when <c>F</c> changes the shape. <c>activation</c>: applied after the addition, or null (default).</para>
/// <para><b>Shape.</b> Input <c>(N, *)</c>; <c>F</c> and <c>S</c> must map it to the same shape, which is the output.</para>
/// <para><b>Parameters.</b> Those of <c>F</c>, named <c>residual.{name}</c>, then those of <c>S</c>, named
/// <c>shortcut.{name}</c> (e.g. <c>residual.0.weight</c>, <c>shortcut.1.running_mean</c> for the buffers' ONNX
/// names); inside a <see cref="Sequential"/> the block's index is prefixed again (<c>3.residual.0.weight</c>), as
/// PyTorch's <c>named_parameters</c> would. <see cref="Layer.Buffers"/> lists <c>F</c>'s then <c>S</c>'s.</para>
/// <para><b>Gradient.</b> With <c>g = act'(·)·dy</c> (or <c>dy</c>): <c>dx = F.Backward(g) + S.Backward(g)</c>
/// (<c>g</c> itself for the identity). Parameter gradients come from the branches' own backward passes.</para>
/// <para><b>ONNX.</b> Both branches' nodes, an <c>Add</c>, and the activation's nodes.</para>
/// </remarks>
/// <example><code>
/// var block = ResidualBlock.Create(
///     new Sequential(new Conv2d(16, 32, 3, stride: 2, padding: 1, bias: false), new BatchNorm2d(32), new ReLU(),
///                    new Conv2d(32, 32, 3, padding: 1, bias: false), new BatchNorm2d(32)),
///     inputShape: [16, 32, 32], activation: new ReLU());   // adds a 1×1 stride-2 projection shortcut
/// </code></example>
public sealed class ResidualBlock : Layer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _buffers;
    private readonly Tensor _sum = new(0);
    private readonly Tensor _inputGradient = new(0);
    private Tensor? _output;

    /// <summary>Creates <c>y = activation(residual(x) + shortcut(x))</c>.</summary>
    /// <param name="residual">The residual branch <c>F</c>.</param>
    /// <param name="shortcut">The shortcut <c>S</c>; null for the identity.</param>
    /// <param name="activation">Applied after the addition; null for none.</param>
    /// <exception cref="ArgumentException">The same layer object is passed twice.</exception>
    public ResidualBlock(Layer residual, Layer? shortcut = null, Layer? activation = null)
    {
        ArgumentNullException.ThrowIfNull(residual);
        if (ReferenceEquals(residual, shortcut) || ReferenceEquals(residual, activation) || (shortcut is not null && ReferenceEquals(shortcut, activation)))
            throw new ArgumentException("The residual branch, the shortcut and the activation must be distinct layer objects.");
        Residual = residual;
        Shortcut = shortcut;
        Activation = activation;
        var parameters = new List<Parameter>();
        foreach (var p in residual.Parameters)
        {
            p.Name = "residual." + p.Name;
            parameters.Add(p);
        }
        foreach (var p in shortcut?.Parameters ?? [])
        {
            p.Name = "shortcut." + p.Name;
            parameters.Add(p);
        }
        foreach (var p in activation?.Parameters ?? [])
        {
            p.Name = "activation." + p.Name;
            parameters.Add(p);
        }
        _parameters = parameters.ToArray();
        _buffers = [.. residual.Buffers, .. shortcut?.Buffers ?? [], .. activation?.Buffers ?? []];
    }

    /// <summary>The residual branch <c>F</c>.</summary>
    public Layer Residual { get; }

    /// <summary>The shortcut <c>S</c>, or null for the identity.</summary>
    public Layer? Shortcut { get; }

    /// <summary>The activation after the addition, or null.</summary>
    public Layer? Activation { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Buffers => _buffers;

    /// <inheritdoc />
    public override string Name =>
        $"ResidualBlock({Residual.Name}, shortcut: {Shortcut?.Name ?? "identity"}" + (Activation is null ? ")" : $", activation: {Activation.Name})");

    /// <summary>
    /// ResNet's projection shortcut (option B of He et al. 2016): a 1×1 <see cref="Conv2d"/> from
    /// <paramref name="inChannels"/> to <paramref name="outChannels"/> with <paramref name="stride"/> and no bias,
    /// followed by a <see cref="BatchNorm2d"/> when <paramref name="batchNorm"/> is true (then without, with a bias).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is below 1.</exception>
    public static Sequential Projection(int inChannels, int outChannels, int stride = 1, bool batchNorm = true) =>
        batchNorm
            ? new Sequential(new Conv2d(inChannels, outChannels, 1, stride: stride, bias: false), new BatchNorm2d(outChannels))
            : new Sequential(new Conv2d(inChannels, outChannels, 1, stride: stride));

    /// <summary>
    /// Creates a block whose shortcut is the identity when <paramref name="residual"/> keeps the shape
    /// <paramref name="inputShape"/> <c>[C, H, W]</c>, and otherwise a <see cref="Projection"/> to its output shape
    /// <c>[C', H', W']</c>, with the smallest stride <c>s</c> for which a 1×1 convolution gives <c>H'</c> and <c>W'</c>.
    /// </summary>
    /// <param name="residual">The residual branch <c>F</c>.</param>
    /// <param name="inputShape">The per-example input shape (the identity also works for non-image shapes).</param>
    /// <param name="activation">Applied after the addition; null for none.</param>
    /// <param name="projectionBatchNorm">Whether the projection ends with a <see cref="BatchNorm2d"/>. Default true.</param>
    /// <exception cref="ArgumentException">The shape changes and is not <c>[C, H, W]</c> → <c>[C', H', W']</c> with a stride reaching it.</exception>
    public static ResidualBlock Create(Layer residual, ReadOnlySpan<int> inputShape, Layer? activation = null, bool projectionBatchNorm = true)
    {
        ArgumentNullException.ThrowIfNull(residual);
        int[] output = residual.GetOutputShape(inputShape);
        if (output.AsSpan().SequenceEqual(inputShape)) return new ResidualBlock(residual, null, activation);
        if (inputShape.Length != 3 || output.Length != 3)
            throw new ArgumentException($"A projection shortcut maps [C, H, W] images; the residual branch maps {LayerChecks.Batched(inputShape)} to {LayerChecks.Batched(output)}.", nameof(inputShape));
        for (int s = 1; s <= Math.Max(inputShape[1], inputShape[2]); s++)
        {
            if ((inputShape[1] - 1) / s + 1 == output[1] && (inputShape[2] - 1) / s + 1 == output[2])
                return new ResidualBlock(residual, Projection(inputShape[0], output[0], s, projectionBatchNorm), activation);
        }
        throw new ArgumentException($"No 1×1 convolution stride maps {inputShape[1]}×{inputShape[2]} to {output[1]}×{output[2]}; pass a shortcut explicitly.", nameof(inputShape));
    }

    /// <summary>Returns the residual branch's output shape, after checking that the shortcut gives the same one.</summary>
    /// <exception cref="ArgumentException">A branch rejects the shape, or the two branches disagree.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        int[] f = Residual.GetOutputShape(inputShape);
        int[] s = Shortcut is null ? inputShape.ToArray() : Shortcut.GetOutputShape(inputShape);
        if (!f.AsSpan().SequenceEqual(s))
            throw new ArgumentException(
                $"ResidualBlock: the residual branch maps {LayerChecks.Batched(inputShape)} to {LayerChecks.Batched(f)} but the " +
                (Shortcut is null ? "identity shortcut keeps it" : $"shortcut maps it to {LayerChecks.Batched(s)}") +
                ". Pass a projection shortcut (ResidualBlock.Projection) or use ResidualBlock.Create.");
        return Activation is null ? f : Activation.GetOutputShape(f);
    }

    /// <summary>Initializes the residual branch, the shortcut and the activation from streams 0, 1 and 2 forked from <paramref name="rng"/>.</summary>
    public override void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        Residual.Initialize(rng.Fork(0));
        Shortcut?.Initialize(rng.Fork(1));
        Activation?.Initialize(rng.Fork(2));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A branch rejects the input, or the branches' outputs differ in shape.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        Tensor f = Residual.Forward(input, training);
        Tensor s = Shortcut is null ? input : Shortcut.Forward(input, training);
        if (!Tensor.SameShape(f.Shape, s.Shape))
            throw new ArgumentException(
                $"ResidualBlock: the residual branch gives {f.ShapeString()} but the shortcut gives {s.ShapeString()} for input {input.ShapeString()}. " +
                "Pass a projection shortcut (ResidualBlock.Projection) or use ResidualBlock.Create.", nameof(input));
        _sum.Resize(f.Shape);
        TensorPrimitives.Add(f.Span, s.Span, _sum.Span);
        _output = Activation is null ? _sum : Activation.Forward(_sum, training);
        return _output;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        LayerChecks.RequireGradientLike(outputGradient, _output, this);
        Tensor g = outputGradient;
        if (Activation is not null)
        {
            Activation.ComputeInputGradient = true;
            g = Activation.Backward(outputGradient)!;
        }
        bool needInput = ComputeInputGradient;
        Residual.ComputeInputGradient = needInput;
        Tensor? df = Residual.Backward(g);
        if (Shortcut is null)
        {
            if (!needInput) return null;
            _inputGradient.Resize(g.Shape);
            TensorPrimitives.Add(df!.Span, g.Span, _inputGradient.Span);
            return _inputGradient;
        }
        Shortcut.ComputeInputGradient = needInput;
        Tensor? ds = Shortcut.Backward(g);
        if (!needInput) return null;
        _inputGradient.Resize(df!.Shape);
        TensorPrimitives.Add(df.Span, ds!.Span, _inputGradient.Span);
        return _inputGradient;
    }

    /// <summary>Emits the residual branch, the shortcut (nothing for the identity), <c>Add</c>, then the activation.</summary>
    /// <exception cref="NotSupportedException">A branch has no ONNX export.</exception>
    /// <exception cref="ArgumentException">The branches disagree on the output shape.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        string f = Residual.EmitOnnx(graph, input, inputShape);
        string s = Shortcut is null ? input : Shortcut.EmitOnnx(graph, input, inputShape);
        string sum = graph.Apply("Add", [f, s]);
        return Activation is null ? sum : Activation.EmitOnnx(graph, sum, Residual.GetOutputShape(inputShape));
    }
}
