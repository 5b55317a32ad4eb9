using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// The window of a 2-D pooling layer (kernel, stride, padding), its argument checks, output-shape rule and ONNX
/// attributes, shared by <see cref="MaxPool2d"/> and <see cref="AvgPool2d"/>.
/// </summary>
internal sealed class PoolWindow
{
    /// <summary>Validates and stores the window; <paramref name="stride"/> defaults to the kernel size.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range, or the padding exceeds half the kernel (PyTorch's rule).</exception>
    public PoolWindow((int Height, int Width) kernelSize, (int Height, int Width)? stride, (int Height, int Width)? padding)
    {
        var s = stride ?? kernelSize;
        var p = padding ?? (0, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(kernelSize.Height, kernelSize.Width), 1, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(s.Height, s.Width), 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(p.Height, p.Width), 0, nameof(padding));
        if (2 * p.Height > kernelSize.Height || 2 * p.Width > kernelSize.Width)
            throw new ArgumentOutOfRangeException(nameof(padding), p,
                $"Pooling padding must be at most half the kernel size {kernelSize}, got {p}.");
        KernelSize = kernelSize;
        Stride = s;
        Padding = p;
    }

    public (int Height, int Width) KernelSize { get; }

    public (int Height, int Width) Stride { get; }

    public (int Height, int Width) Padding { get; }

    /// <summary>The window over a <c>C×H×W</c> image.</summary>
    public ConvGeometry Geometry(int channels, int height, int width) =>
        new(channels, height, width, KernelSize.Height, KernelSize.Width, Stride.Height, Stride.Width, Padding.Height, Padding.Width, 1, 1);

    /// <summary>Returns <c>[C, H_out, W_out]</c> for <c>[C, H, W]</c>.</summary>
    /// <exception cref="ArgumentException">The shape is not <c>[C, H, W]</c>, or the window does not fit.</exception>
    public int[] OutputShape(ReadOnlySpan<int> inputShape, Layer layer)
    {
        if (inputShape.Length != 3 || inputShape[0] < 1 || inputShape[1] < 1 || inputShape[2] < 1)
            throw new ArgumentException($"{layer.Name} expects (N, C, H, W) input, got {LayerChecks.Batched(inputShape)}.");
        var g = Geometry(inputShape[0], inputShape[1], inputShape[2]);
        RequireFits(g, layer);
        return [inputShape[0], g.OutputHeight, g.OutputWidth];
    }

    /// <summary>Checks a batched input <c>(N, C, H, W)</c> and returns its window geometry.</summary>
    /// <exception cref="ArgumentException">The input is not rank 4, or the window does not fit.</exception>
    public ConvGeometry ForInput(Tensor input, Layer layer)
    {
        LayerChecks.RequireBatched(input, layer);
        if (input.Rank != 4)
            throw new ArgumentException($"{layer.Name} expects (N, C, H, W) input, got {LayerChecks.BatchedOf(input)}.", nameof(input));
        var g = Geometry(input.Dim(1), input.Dim(2), input.Dim(3));
        RequireFits(g, layer);
        return g;
    }

    /// <summary>The ONNX attributes <c>kernel_shape</c>, <c>strides</c>, <c>pads</c>.</summary>
    public OnnxAttribute[] OnnxAttributes() =>
    [
        OnnxAttribute.Ints("kernel_shape", KernelSize.Height, KernelSize.Width),
        OnnxAttribute.Ints("strides", Stride.Height, Stride.Width),
        OnnxAttribute.Ints("pads", Padding.Height, Padding.Width, Padding.Height, Padding.Width),
    ];

    /// <summary>PyTorch-like argument text, e.g. <c>kernel_size=(2, 2), stride=(2, 2)</c>.</summary>
    public override string ToString() =>
        $"kernel_size=({KernelSize.Height}, {KernelSize.Width}), stride=({Stride.Height}, {Stride.Width})" +
        (Padding != (0, 0) ? $", padding=({Padding.Height}, {Padding.Width})" : "");

    private void RequireFits(in ConvGeometry g, Layer layer)
    {
        if (g.OutputHeight < 1 || g.OutputWidth < 1)
            throw new ArgumentException(
                $"{layer.Name}: the {KernelSize.Height}×{KernelSize.Width} window does not fit the padded input " +
                $"{g.Height + 2 * Padding.Height}×{g.Width + 2 * Padding.Width} (input {g.Height}×{g.Width}).");
    }
}
