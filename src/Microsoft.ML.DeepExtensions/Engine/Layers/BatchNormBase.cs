using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// The shared implementation of <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>: batch normalization
/// <c>y = (x - E[x]) / √(Var[x] + eps) · γ + β</c> per channel (Ioffe &amp; Szegedy, ICML 2015), statistics over the
/// batch and every position after the channel axis (<see cref="BatchNormKernels"/> with <c>L</c> = positions per channel).
/// The subclasses only fix the accepted shapes; see <see cref="BatchNorm1d"/> for training/inference semantics and the
/// gradient.
/// </summary>
public abstract class BatchNormBase : Layer
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
    private protected BatchNormBase(int numFeatures, double eps, double momentum, bool affine)
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

    /// <summary>True when per-example inputs of <paramref name="rank"/> dimensions (channels first) are accepted.</summary>
    private protected abstract bool AcceptsRank(int rank);

    /// <summary>The accepted batched shape, for messages, e.g. <c>(N, C, H, W)</c> with C filled in.</summary>
    private protected abstract string ExpectedShape { get; }

    /// <summary>Returns <paramref name="inputShape"/>, channels first, if the layer accepts it.</summary>
    /// <exception cref="ArgumentException">Any other shape.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (!AcceptsRank(inputShape.Length) || inputShape[0] != NumFeatures)
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
    /// <exception cref="ArgumentException">The input is not of the accepted shape, or it holds a single value per
    /// channel in training mode (the batch variance is undefined).</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (!AcceptsRank(input.Rank - 1) || input.Dim(1) != NumFeatures)
            throw ShapeError(LayerChecks.BatchedOf(input));
        int n = input.Dim(0), c = NumFeatures, l = input.RowLength / c;
        long count = (long)n * l;
        if (training)
        {
            if (count <= 1)
                throw new ArgumentException($"{GetType().Name} expects more than 1 value per channel when training, got input {input.ShapeString()}. Use a larger batch, or inference mode.", nameof(input));
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
        int n = x.Dim(0), c = NumFeatures, l = x.RowLength / c;
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
    /// Emits <c>BatchNormalization(input, γ, β, running_mean, running_var, epsilon=eps)</c> (inference mode), with
    /// copies of the current parameters and running statistics.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not an accepted shape.</exception>
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

    private ArgumentException ShapeError(string got) => new($"{GetType().Name} expects {ExpectedShape} input, got {got}.");
}
