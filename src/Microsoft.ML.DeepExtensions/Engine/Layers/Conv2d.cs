using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Initializers;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// 2-D convolution over NCHW images (PyTorch <c>nn.Conv2d</c>, Keras <c>Conv2D</c> with channels first; LeCun et al.,
/// "Gradient-Based Learning Applied to Document Recognition", 1998):
/// <c>y[n, o, oh, ow] = b[o] + Σ_{c ∈ group(o), i, j} W[o, c, i, j] · x[n, c, oh·s_h − p_h + i·d_h, ow·s_w − p_w + j·d_w]</c>,
/// reading 0 outside the image (cross-correlation, as every framework computes it).
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>inChannels</c> <c>C_in</c>; <c>outChannels</c> <c>C_out</c>; <c>kernelSize</c> <c>(kh, kw)</c> (an int
/// means a square kernel); <c>stride</c> (default 1), <c>padding</c> (zeros on both sides, default 0) and <c>dilation</c>
/// (spacing of the kernel taps, default 1), each an int or a (height, width) pair; <c>groups</c> (default 1): input and
/// output channels are split into <c>groups</c> blocks and output block <c>g</c> sees input block <c>g</c> only
/// (<c>groups = C_in</c> is a depthwise convolution); <c>bias</c> (default true).</para>
/// <para><b>Shape.</b> Input <c>(N, C_in, H, W)</c>; output <c>(N, C_out, H_out, W_out)</c> with
/// <c>H_out = ⌊(H + 2·p_h − d_h·(kh − 1) − 1) / s_h⌋ + 1</c> and likewise <c>W_out</c>.</para>
/// <para><b>Attributes.</b> <c>weight</c>: <c>[C_out, C_in/groups, kh, kw]</c> (PyTorch layout), a weight
/// (<see cref="Parameter.IsWeight"/>), initialized from <c>U(−1/√fan_in, 1/√fan_in)</c> with
/// <c>fan_in = C_in/groups·kh·kw</c> (PyTorch's default, <see cref="FanInUniform"/>). <c>bias</c>: <c>[C_out]</c>, not a
/// weight, from the same distribution. Initializers receive <c>fanIn = C_in/groups·kh·kw</c> and
/// <c>fanOut = C_out·kh·kw</c>.</para>
/// <para><b>Algorithm.</b> im2col + GEMM (Chellapilla et al. 2006, as in Caffe): the images of a chunk are unrolled into
/// a column matrix <c>col [C_in·kh·kw, N_chunk·H_out·W_out]</c> (images side by side), and per group one product
/// <c>Y = W·col</c> through <c>Gemm.Multiply</c> convolves the whole chunk. Backward runs
/// <c>dW = dY·colᵀ</c>, <c>db = Σ dY</c> and, when the input gradient is needed, <c>dcol = Wᵀ·dY</c> followed by
/// col2im. The batch is cut into as few chunks of equal size (to within one image) as keep each chunk's columns
/// within 2¹⁸ values (1 MB, so that the products read columns that are still in the cache; at least one image per
/// chunk). A batch of several chunks runs chunk by chunk on up to
/// <see cref="Parallelism.MaxDegreeOfParallelism"/> threads, each with its own buffers and single-threaded products
/// (no synchronization inside a chunk); a batch of one chunk threads inside the unrolling and the products instead,
/// and a training forward keeps its columns for the backward pass. For the weight and bias gradients the chunks are
/// cut into at most 8 contiguous groups, fixed by the batch size and the geometry alone; each group sums its chunks
/// in order and the groups' sums are added in order, so results are bit-identical for every thread count.
/// A pointwise convolution (1×1, stride 1, no padding) on planes of 256 values or more skips the unrolling: each
/// image is multiplied in place (<c>Y_n = W·X_n</c>, <c>dW += dY_n·X_nᵀ</c> in image order, <c>dX_n = Wᵀ·dY_n</c>).
/// The buffers are kept between calls: steady-state calls allocate nothing on one thread.</para>
/// <para><b>ONNX.</b> <c>Conv(x, weight[, bias])</c> with <c>kernel_shape</c>, <c>strides</c>, <c>pads = [p_h, p_w, p_h, p_w]</c>,
/// <c>dilations</c> and <c>group</c>; initializers are named after the parameters (<c>0.weight</c>, <c>0.bias</c>).</para>
/// </remarks>
/// <example><code>
/// var conv = new Conv2d(3, 16, 3, padding: 1);   // weight [16, 3, 3, 3]
/// Tensor y = conv.Forward(x, training: true);    // x: (N, 3, 32, 32) → y: (N, 16, 32, 32)
/// </code></example>
public sealed partial class Conv2d : Layer
{
    /// <summary>Column values per chunk (2¹⁸ floats = 1 MB, about an L2 cache): measured faster than whole-batch columns.</summary>
    internal const int DefaultColumnBudget = 1 << 18;

    /// <summary>Output planes from which a pointwise (1×1, stride 1, no padding) convolution multiplies each image in place instead of unrolling a chunk.</summary>
    internal const int DirectPlaneThreshold = 256;
    private const ulong DefaultSeed = 0x436F6E763264UL;

    private readonly Parameter[] _parameters;
    private readonly Tensor _output = new(0, 0, 0, 0);
    private readonly Tensor _inputGradient = new(0, 0, 0, 0);
    private readonly int[] _outRow = new int[3];
    private readonly double[] _biasSums;
    private Tensor? _input;
    private Tensor? _outputGradient;
    private ConvGeometry _geometry;
    private bool _hasOutput, _columnsHoldInput;

    /// <summary>Creates a convolution with a square kernel and equal strides, padding and dilation on both axes.</summary>
    /// <param name="inChannels">Input channels <c>C_in</c> (≥ 1, divisible by <paramref name="groups"/>).</param>
    /// <param name="outChannels">Output channels <c>C_out</c> (≥ 1, divisible by <paramref name="groups"/>).</param>
    /// <param name="kernelSize">Kernel height and width (≥ 1).</param>
    /// <param name="stride">Step between windows (≥ 1). Default 1.</param>
    /// <param name="padding">Zeros added on each side (≥ 0). Default 0.</param>
    /// <param name="dilation">Spacing between kernel taps (≥ 1). Default 1.</param>
    /// <param name="groups">Number of channel groups (≥ 1). Default 1.</param>
    /// <param name="bias">Whether to learn an additive bias per output channel. Default true.</param>
    /// <param name="weightInitializer">Weight initializer; default <see cref="FanInUniform"/> (PyTorch).</param>
    /// <param name="biasInitializer">Bias initializer; default <see cref="FanInUniform"/> with the weight's fan-in (PyTorch).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">A channel count is not divisible by <paramref name="groups"/>.</exception>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1,
        int groups = 1, bool bias = true, IInitializer? weightInitializer = null, IInitializer? biasInitializer = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation),
            groups, bias, weightInitializer, biasInitializer)
    {
    }

    /// <summary>Creates a convolution with per-axis kernel size, stride, padding and dilation.</summary>
    /// <param name="inChannels">Input channels <c>C_in</c> (≥ 1, divisible by <paramref name="groups"/>).</param>
    /// <param name="outChannels">Output channels <c>C_out</c> (≥ 1, divisible by <paramref name="groups"/>).</param>
    /// <param name="kernelSize">Kernel <c>(kh, kw)</c> (each ≥ 1).</param>
    /// <param name="stride">Steps <c>(s_h, s_w)</c> (each ≥ 1). Default (1, 1).</param>
    /// <param name="padding">Zeros <c>(p_h, p_w)</c> added on each side (each ≥ 0). Default (0, 0).</param>
    /// <param name="dilation">Tap spacing <c>(d_h, d_w)</c> (each ≥ 1). Default (1, 1).</param>
    /// <param name="groups">Number of channel groups (≥ 1). Default 1.</param>
    /// <param name="bias">Whether to learn an additive bias per output channel. Default true.</param>
    /// <param name="weightInitializer">Weight initializer; default <see cref="FanInUniform"/> (PyTorch).</param>
    /// <param name="biasInitializer">Bias initializer; default <see cref="FanInUniform"/> with the weight's fan-in (PyTorch).</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    /// <exception cref="ArgumentException">A channel count is not divisible by <paramref name="groups"/>.</exception>
    public Conv2d(int inChannels, int outChannels, (int Height, int Width) kernelSize, (int Height, int Width)? stride = null,
        (int Height, int Width)? padding = null, (int Height, int Width)? dilation = null, int groups = 1, bool bias = true,
        IInitializer? weightInitializer = null, IInitializer? biasInitializer = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        var s = stride ?? (1, 1);
        var p = padding ?? (0, 0);
        var d = dilation ?? (1, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(kernelSize.Height, kernelSize.Width), 1, nameof(kernelSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(s.Height, s.Width), 1, nameof(stride));
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(p.Height, p.Width), 0, nameof(padding));
        ArgumentOutOfRangeException.ThrowIfLessThan(Math.Min(d.Height, d.Width), 1, nameof(dilation));
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv2d needs inChannels ({inChannels}) and outChannels ({outChannels}) divisible by groups ({groups}).", nameof(groups));
        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = s;
        Padding = p;
        Dilation = d;
        Groups = groups;
        WeightInitializer = weightInitializer ?? FanInUniform.Instance;
        BiasInitializer = biasInitializer ?? FanInUniform.Instance;
        Weight = new Parameter("weight", new Tensor(outChannels, inChannels / groups, kernelSize.Height, kernelSize.Width), isWeight: true);
        Bias = bias ? new Parameter("bias", new Tensor(outChannels), isWeight: false) : null;
        _parameters = Bias is null ? [Weight] : [Weight, Bias];
        _biasSums = new double[outChannels];
        Initialize(new Rng(DefaultSeed));
    }

    /// <summary>Input channels <c>C_in</c>.</summary>
    public int InChannels { get; }

    /// <summary>Output channels <c>C_out</c>.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size <c>(kh, kw)</c>.</summary>
    public (int Height, int Width) KernelSize { get; }

    /// <summary>Stride <c>(s_h, s_w)</c>.</summary>
    public (int Height, int Width) Stride { get; }

    /// <summary>Zero padding <c>(p_h, p_w)</c> on each side.</summary>
    public (int Height, int Width) Padding { get; }

    /// <summary>Dilation <c>(d_h, d_w)</c>.</summary>
    public (int Height, int Width) Dilation { get; }

    /// <summary>Number of channel groups.</summary>
    public int Groups { get; }

    /// <summary>The kernel <c>[C_out, C_in/groups, kh, kw]</c>.</summary>
    public Parameter Weight { get; }

    /// <summary>The bias <c>[C_out]</c>, or null when created with <c>bias: false</c>.</summary>
    public Parameter? Bias { get; }

    /// <summary>The weight initializer used by <see cref="Initialize"/>.</summary>
    public IInitializer WeightInitializer { get; }

    /// <summary>The bias initializer used by <see cref="Initialize"/>.</summary>
    public IInitializer BiasInitializer { get; }

    /// <summary>Column values per chunk of images (tests lower it to exercise chunking).</summary>
    internal int ColumnBudget { get; set; } = DefaultColumnBudget;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>PyTorch's representation, e.g. <c>Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))</c>.</summary>
    public override string Name =>
        $"Conv2d({InChannels}, {OutChannels}, kernel_size={Pair(KernelSize)}, stride={Pair(Stride)}" +
        (Padding != (0, 0) ? $", padding={Pair(Padding)}" : "") +
        (Dilation != (1, 1) ? $", dilation={Pair(Dilation)}" : "") +
        (Groups != 1 ? $", groups={Groups}" : "") +
        (Bias is null ? ", bias=False" : "") + ")";

    /// <summary>Returns <c>[C_out, H_out, W_out]</c> for input <c>[C_in, H, W]</c>.</summary>
    /// <exception cref="ArgumentException">The shape is not <c>[C_in, H, W]</c>, or the kernel does not fit the padded input.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3 || inputShape[0] != InChannels || inputShape[1] < 1 || inputShape[2] < 1)
            throw ShapeError(LayerChecks.Batched(inputShape));
        var g = Geometry(inputShape[1], inputShape[2]);
        RequireFits(g);
        return [OutChannels, g.OutputHeight, g.OutputWidth];
    }

    /// <summary>Draws the weight, then the bias, from <paramref name="rng"/> with the configured initializers.</summary>
    public override void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        int taps = KernelSize.Height * KernelSize.Width;
        int fanIn = InChannels / Groups * taps, fanOut = OutChannels * taps;
        WeightInitializer.Initialize(Weight.Value.Span, fanIn, fanOut, rng);
        if (Bias is not null) BiasInitializer.Initialize(Bias.Value.Span, fanIn, fanOut, rng);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not <c>(N, C_in, H, W)</c>, or the kernel does not fit the padded input.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (input.Rank != 4 || input.Dim(1) != InChannels)
            throw ShapeError(LayerChecks.BatchedOf(input));
        var g = Geometry(input.Dim(2), input.Dim(3));
        RequireFits(g);
        int n = input.Dim(0), plane = g.OutputPlane, rows = g.ColumnRows;
        _outRow[0] = OutChannels;
        _outRow[1] = g.OutputHeight;
        _outRow[2] = g.OutputWidth;
        _output.ResizeBatch(n, _outRow);
        _input = input;
        _geometry = g;

        if (UsesDirectPath(g))
        {
            ForwardDirect(n, plane);
            _columnsHoldInput = false;
        }
        else
        {
            ForwardColumns(n, plane, rows);
            _columnsHoldInput = training && _chunkCount == 1;
        }
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
        var g = _geometry;
        int n = x.Dim(0), plane = g.OutputPlane;
        bool needInput = ComputeInputGradient;
        if (needInput) _inputGradient.Resize(x.Shape);
        if (n == 0) Weight.Gradient.Clear();
        Array.Clear(_biasSums);
        _outputGradient = outputGradient;
        if (UsesDirectPath(g)) BackwardDirect(n, plane, needInput);
        else BackwardColumns(n, needInput);
        if (Bias is not null)
        {
            Span<float> db = Bias.Gradient.Span;
            for (int c = 0; c < OutChannels; c++) db[c] = (float)_biasSums[c];
        }
        _outputGradient = null;
        return needInput ? _inputGradient : null;
    }

    /// <summary>Emits <c>Conv(input, weight[, bias])</c>: <c>(N, C_in, H, W) → (N, C_out, H_out, W_out)</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[C_in, H, W]</c>, or the kernel does not fit.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        string weight = graph.AddInitializer(Weight.Name, Weight.Value);
        string[] inputs = Bias is null ? [input, weight] : [input, weight, graph.AddInitializer(Bias.Name, Bias.Value)];
        return graph.Apply("Conv", inputs,
            OnnxAttribute.Ints("kernel_shape", KernelSize.Height, KernelSize.Width),
            OnnxAttribute.Ints("strides", Stride.Height, Stride.Width),
            OnnxAttribute.Ints("pads", Padding.Height, Padding.Width, Padding.Height, Padding.Width),
            OnnxAttribute.Ints("dilations", Dilation.Height, Dilation.Width),
            OnnxAttribute.Int("group", Groups));
    }

    // 1×1, stride 1, no padding, on planes of at least 256 values: the image [C_in, P] is already the column matrix
    // and W·X_n is already NCHW, so each image is one product per group, with no copies.
    private static bool UsesDirectPath(in ConvGeometry g) => g.IsPointwise && g.OutputPlane >= DirectPlaneThreshold;

    private void ForwardDirect(int n, int plane)
    {
        int cg = OutChannels / Groups, kg = InChannels / Groups;
        ReadOnlySpan<float> w = Weight.Value.Span, x = _input!.Span;
        Span<float> y = _output.Span;
        for (int img = 0; img < n; img++)
            for (int grp = 0; grp < Groups; grp++)
            {
                Span<float> yg = y.Slice((img * OutChannels + grp * cg) * plane, cg * plane);
                if (Bias is not null)
                    for (int c = 0; c < cg; c++) yg.Slice(c * plane, plane).Fill(Bias.Value[grp * cg + c]);
                Gemm.Multiply(false, false, cg, plane, kg, 1f, w[(grp * cg * kg)..], kg,
                    x.Slice((img * InChannels + grp * kg) * plane), plane, Bias is null ? 0f : 1f, yg, plane);
            }
    }

    private void BackwardDirect(int n, int plane, bool needInput)
    {
        int cg = OutChannels / Groups, kg = InChannels / Groups;
        ReadOnlySpan<float> w = Weight.Value.Span, x = _input!.Span, dy = _outputGradient!.Span;
        Span<float> dw = Weight.Gradient.Span;
        for (int img = 0; img < n; img++)
            for (int grp = 0; grp < Groups; grp++)
            {
                ReadOnlySpan<float> dyg = dy.Slice((img * OutChannels + grp * cg) * plane, cg * plane);
                if (Bias is not null)
                    for (int c = 0; c < cg; c++) _biasSums[grp * cg + c] += TensorPrimitives.Sum(dyg.Slice(c * plane, plane));
                Gemm.Multiply(false, true, cg, kg, plane, 1f, dyg, plane, x.Slice((img * InChannels + grp * kg) * plane), plane,
                    img == 0 ? 0f : 1f, dw[(grp * cg * kg)..], kg);
                if (needInput)
                    Gemm.Multiply(true, false, kg, plane, cg, 1f, w[(grp * cg * kg)..], kg, dyg, plane, 0f,
                        _inputGradient.Span.Slice((img * InChannels + grp * kg) * plane, kg * plane), plane);
            }
    }

    private ConvGeometry Geometry(int height, int width) =>
        new(InChannels, height, width, KernelSize.Height, KernelSize.Width, Stride.Height, Stride.Width,
            Padding.Height, Padding.Width, Dilation.Height, Dilation.Width);

    private void RequireFits(in ConvGeometry g)
    {
        if (g.OutputHeight < 1 || g.OutputWidth < 1)
            throw new ArgumentException(
                $"{Name}: the kernel (dilated extent {Dilation.Height * (KernelSize.Height - 1) + 1}×{Dilation.Width * (KernelSize.Width - 1) + 1}) " +
                $"does not fit the padded input {g.Height + 2 * Padding.Height}×{g.Width + 2 * Padding.Width} (input {g.Height}×{g.Width}).");
    }

    private static string Pair((int A, int B) p) => $"({p.A}, {p.B})";

    private ArgumentException ShapeError(string got) =>
        new($"Conv2d expects (N, {InChannels}, H, W) input, got {got}.");
}
