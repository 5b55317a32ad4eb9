using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Batch normalization over NCHW images (PyTorch <c>nn.BatchNorm2d</c>, Keras <c>BatchNormalization(axis=1)</c>;
/// Ioffe &amp; Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate
/// Shift", ICML 2015): <c>y = (x - E[x]) / √(Var[x] + eps) · γ + β</c>, per channel <c>C</c>, the statistics taken
/// over the batch and both spatial axes.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>numFeatures</c>: <c>C</c>. <c>eps</c>: added to the variance, default 1e-5.
/// <c>momentum</c>: running-statistics update factor, default 0.1. <c>affine</c>: learn γ and β, default true.</para>
/// <para><b>Shape.</b> Input <c>(N, C, H, W)</c>; output the same shape. Statistics are taken over the
/// <c>M = N·H·W</c> values of each channel (<see cref="BatchNormKernels"/> with <c>L = H·W</c>). Same semantics as
/// <see cref="BatchNorm1d"/>.</para>
/// <para><b>Attributes.</b> <c>weight</c> γ <c>[C]</c>, initialized to 1; <c>bias</c> β <c>[C]</c>, initialized to 0
/// (both exempt from L1/L2 penalties: <see cref="Parameter.IsWeight"/> is false). Buffers <see cref="RunningMean"/>
/// <c>[C]</c> (init 0) and <see cref="RunningVar"/> <c>[C]</c> (init 1).</para>
/// <para><b>Training mode</b> normalizes with the batch mean and the <b>biased</b> batch variance (divided by
/// <c>M</c>), then updates the running statistics with the <b>unbiased</b> variance (divided by <c>M - 1</c>):
/// <c>running = (1 - momentum)·running + momentum·batch</c>, exactly as PyTorch. <b>Inference mode</b> normalizes
/// with the running statistics and leaves them unchanged. Statistics are accumulated in float64 (two-pass).</para>
/// <para><b>Gradient.</b> In training mode, with <c>x̂ = (x - μ)/σ</c>:
/// <c>dβ = Σ dy</c>, <c>dγ = Σ dy·x̂</c>, <c>dx = γ/σ · (dy - dβ/M - x̂·dγ/M)</c>. After an inference-mode
/// forward the statistics are constants: <c>dx = γ/σ_running · dy</c>.</para>
/// <para><b>ONNX.</b> Exported for inference as <c>BatchNormalization</c> with the running statistics and
/// <c>epsilon = eps</c>; initializers are named after the parameters (<c>1.weight</c>, <c>1.bias</c>,
/// <c>1.running_mean</c>, <c>1.running_var</c>). Without <c>affine</c>, γ = 1 and β = 0 are stored.</para>
/// </remarks>
public sealed class BatchNorm2d : Layer
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _buffers;
    private readonly Tensor _output = new(0, 0);
    private readonly Tensor _inputGradient = new(0, 0);
    private readonly double[] _mean, _invStd, _variance, _sumDy, _sumDyCentered;
    private readonly float[] _meanF, _scaleF, _shiftF, _coefK, _coefB;
    private Tensor? _input;
    private bool _hasOutput;
    private bool _lastTraining;

    /// <summary>Creates a batch-normalization layer.</summary>
    /// <param name="numFeatures">Number of channels <c>C</c> (≥ 1).</param>
    /// <param name="eps">Added to the variance for stability (&gt; 0). Default 1e-5.</param>
    /// <param name="momentum">Weight of the batch statistic in the running average, in [0, 1]. Default 0.1.</param>
    /// <param name="affine">Learn a per-channel scale γ and shift β. Default true.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numFeatures, 1);
        if (!(eps > 0) || !double.IsFinite(eps)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be positive and finite.");
        if (!(momentum >= 0 && momentum <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be in [0, 1].");
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        if (affine)
        {
            Weight = new Parameter("weight", new Tensor(numFeatures), isWeight: false);
            Bias = new Parameter("bias", new Tensor(numFeatures), isWeight: false);
            _parameters = [Weight, Bias];
        }
        else _parameters = [];
        RunningMean = new Tensor(numFeatures);
        RunningVar = new Tensor(numFeatures);
        _buffers = [RunningMean, RunningVar];
        _mean = new double[numFeatures];
        _invStd = new double[numFeatures];
        _variance = new double[numFeatures];
        _sumDy = new double[numFeatures];
        _sumDyCentered = new double[numFeatures];
        _meanF = new float[numFeatures];
        _scaleF = new float[numFeatures];
        _shiftF = new float[numFeatures];
        _coefK = new float[numFeatures];
        _coefB = new float[numFeatures];
        Initialize(new Rng(0));
    }

    /// <summary>Number of channels <c>C</c>.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }

    /// <summary>Running-statistics update factor.</summary>
    public double Momentum { get; }

    /// <summary>Whether γ and β are learned.</summary>
    public bool Affine { get; }

    /// <summary>γ <c>[C]</c>, or null when <see cref="Affine"/> is false.</summary>
    public Parameter? Weight { get; }

    /// <summary>β <c>[C]</c>, or null when <see cref="Affine"/> is false.</summary>
    public Parameter? Bias { get; }

    /// <summary>Running mean <c>[C]</c> (PyTorch <c>running_mean</c>).</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running unbiased variance <c>[C]</c> (PyTorch <c>running_var</c>).</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary><see cref="RunningMean"/>, then <see cref="RunningVar"/>.</summary>
    public override IReadOnlyList<Tensor> Buffers => _buffers;

    /// <inheritdoc />
    public override string Name => $"BatchNorm2d({NumFeatures})";

    /// <summary>Returns <paramref name="inputShape"/>, which must be <c>[C, H, W]</c>.</summary>
    /// <exception cref="ArgumentException">Any other shape.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 3 || inputShape[0] != NumFeatures)
            throw ShapeError(LayerChecks.Batched(inputShape));
        return inputShape.ToArray();
    }

    /// <summary>Sets γ = 1, β = 0, running mean 0 and running variance 1 (draws nothing from <paramref name="rng"/>).</summary>
    public override void Initialize(Rng rng)
    {
        Weight?.Value.Fill(1f);
        Bias?.Value.Clear();
        RunningMean.Clear();
        RunningVar.Fill(1f);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not <c>(N, C, H, W)</c>, or it holds a single
    /// value per channel in training mode (the batch variance is undefined).</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (input.Rank != 4 || input.Dim(1) != NumFeatures)
            throw ShapeError(LayerChecks.BatchedOf(input));
        int n = input.Dim(0), c = NumFeatures, l = input.Dim(2) * input.Dim(3);
        long count = (long)n * l;
        if (training)
        {
            if (count <= 1)
                throw new ArgumentException($"BatchNorm2d expects more than 1 value per channel when training, got input {input.ShapeString()}. Use a larger batch or image, or inference mode.", nameof(input));
            BatchNormKernels.Statistics(input.Span, n, c, l, _mean, _variance);
            double unbias = count / (count - 1.0);
            Span<float> rm = RunningMean.Span, rv = RunningVar.Span;
            for (int ch = 0; ch < c; ch++)
            {
                _invStd[ch] = 1.0 / Math.Sqrt(_variance[ch] + Eps);
                rm[ch] = (float)((1 - Momentum) * rm[ch] + Momentum * _mean[ch]);
                rv[ch] = (float)((1 - Momentum) * rv[ch] + Momentum * _variance[ch] * unbias);
            }
        }
        else
        {
            ReadOnlySpan<float> rm = RunningMean.Span, rv = RunningVar.Span;
            for (int ch = 0; ch < c; ch++)
            {
                _mean[ch] = rm[ch];
                _invStd[ch] = 1.0 / Math.Sqrt(rv[ch] + Eps);
            }
        }
        for (int ch = 0; ch < c; ch++)
        {
            _meanF[ch] = (float)_mean[ch];
            _scaleF[ch] = (float)(Gamma(ch) * _invStd[ch]);
            _shiftF[ch] = Bias is null ? 0f : Bias.Value[ch];
        }
        _output.Resize(input.Shape);
        if (input.Length > 0)
            BatchNormKernels.Normalize(input.Span, _output.Span, n, c, l, _meanF, _scaleF, _shiftF);
        _input = input;
        _lastTraining = training;
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
        int n = x.Dim(0), c = NumFeatures, l = x.Dim(2) * x.Dim(3);
        double count = (double)n * l;
        if (x.Length > 0)
            BatchNormKernels.GradientSums(x.Span, outputGradient.Span, n, c, l, _mean, _sumDy, _sumDyCentered);
        else
        {
            Array.Clear(_sumDy);
            Array.Clear(_sumDyCentered);
        }
        if (Weight is not null && Bias is not null)
        {
            Span<float> dGamma = Weight.Gradient.Span, dBeta = Bias.Gradient.Span;
            for (int ch = 0; ch < c; ch++)
            {
                dGamma[ch] = (float)(_sumDyCentered[ch] * _invStd[ch]);
                dBeta[ch] = (float)_sumDy[ch];
            }
        }
        if (!ComputeInputGradient) return null;
        for (int ch = 0; ch < c; ch++)
        {
            double a = Gamma(ch) * _invStd[ch];
            _coefK[ch] = _lastTraining ? (float)(-a * _invStd[ch] * _invStd[ch] * _sumDyCentered[ch] / count) : 0f;
            _coefB[ch] = _lastTraining ? (float)(-a * _sumDy[ch] / count) : 0f;
        }
        _inputGradient.Resize(x.Shape);
        if (x.Length > 0)
            BatchNormKernels.InputGradient(x.Span, outputGradient.Span, _inputGradient.Span, n, c, l, _meanF, _scaleF, _coefK, _coefB);
        return _inputGradient;
    }

    /// <summary>
    /// Emits <c>BatchNormalization(input, γ, β, running_mean, running_var, epsilon=eps)</c> (inference mode) for
    /// <c>(N, C, H, W)</c> input, with copies of the current parameters and running statistics.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[C, H, W]</c>.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        GetOutputShape(inputShape);
        string prefix = OnnxEmit.Prefix(Weight, "weight", "batchnorm.");
        string scale, shift;
        if (Weight is not null && Bias is not null)
        {
            scale = graph.AddInitializer(Weight.Name, Weight.Value);
            shift = graph.AddInitializer(Bias.Name, Bias.Value);
        }
        else
        {
            var ones = new float[NumFeatures];
            Array.Fill(ones, 1f);
            scale = graph.AddInitializer(prefix + "weight", ones);
            shift = graph.AddInitializer(prefix + "bias", new float[NumFeatures]);
        }
        string mean = graph.AddInitializer(prefix + "running_mean", RunningMean);
        string variance = graph.AddInitializer(prefix + "running_var", RunningVar);
        return graph.Apply("BatchNormalization", [input, scale, shift, mean, variance], OnnxAttribute.Float("epsilon", (float)Eps));
    }

    private double Gamma(int ch) => Weight is null ? 1.0 : Weight.Value[ch];

    private ArgumentException ShapeError(string got) =>
        new($"BatchNorm2d expects (N, {NumFeatures}, H, W) input, got {got}.");
}
