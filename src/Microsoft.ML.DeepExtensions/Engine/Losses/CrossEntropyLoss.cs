using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>
/// Softmax cross-entropy on logits (PyTorch <c>nn.CrossEntropyLoss</c> 1.13, Keras
/// <c>SparseCategoricalCrossentropy(from_logits=True)</c>), with optional class weights and label smoothing.
/// </summary>
/// <remarks>
/// <para><b>Formula.</b> With <c>log p_ic = z_ic - logsumexp_c(z_i)</c> (computed stably, subtracting the row
/// maximum), class weights <c>a_c</c> (all 1 by default), per-example weights <c>s_i</c> (all 1 by default),
/// label smoothing <c>ε</c> and <c>C</c> classes:</para>
/// <code>
/// loss = Σ_i s_i·[ (1-ε)·a_{y_i}·(-log p_{i,y_i}) + (ε/C)·Σ_c a_c·(-log p_ic) ] / Σ_i s_i·a_{y_i}
/// </code>
/// <para>This is PyTorch 1.13 exactly when all <c>s_i = 1</c>: the weighted mean divides by the sum of the
/// target classes' weights, and the smoothing term (weighted by every class's weight) is normalised by that
/// same sum. Per-example weights multiply the class weight of their row, <c>w_i = s_i·a_{y_i}</c>.
/// Gradient: <c>s_i/D·[((1-ε)·a_y + ε·Σ_c a_c/C)·p_ij - (1-ε)·a_y·[j = y] - (ε/C)·a_j]</c> with
/// <c>D = Σ_i s_i·a_{y_i}</c>. When <c>D = 0</c> (every row weighted 0) the loss and gradient are 0.</para>
/// <para><b>Shape.</b> Logits <c>(N, C)</c>; target <c>(N)</c> (or <c>(N, 1)</c>): class indices stored as
/// floats, each an integer in <c>[0, C)</c>; optional per-example weights <c>(N)</c>.</para>
/// </remarks>
/// <exception cref="ArgumentException">(from <see cref="Forward"/>) The logits are not rank 2, the target or weights
/// have the wrong shape, the number of class weights is not <c>C</c>, a target is not an integer in <c>[0, C)</c>
/// (the message names the row), or a per-example weight is negative or not finite.</exception>
public sealed class CrossEntropyLoss : Loss
{
    private readonly float[]? _classWeights;
    private readonly double _classWeightSum;
    private readonly Tensor _gradient = new(0);
    private bool _forwardCalled;

    /// <summary>Creates a cross-entropy loss.</summary>
    /// <param name="classWeights">Optional weight of each class <c>a_c</c> (length <c>C</c>, each finite and ≥ 0);
    /// default null (all 1). The array is copied.</param>
    /// <param name="labelSmoothing">PyTorch's <c>label_smoothing</c> <c>ε</c> in <c>[0, 1]</c>: the target becomes
    /// <c>(1-ε)·onehot(y) + ε/C</c>; default 0.</param>
    /// <exception cref="ArgumentException">A class weight is negative or not finite, or <paramref name="classWeights"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="labelSmoothing"/> is outside <c>[0, 1]</c>.</exception>
    public CrossEntropyLoss(float[]? classWeights = null, float labelSmoothing = 0f)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "Label smoothing must be in [0, 1].");
        if (classWeights is not null)
        {
            if (classWeights.Length == 0)
                throw new ArgumentException("Class weights must hold one weight per class; got an empty array.", nameof(classWeights));
            for (int c = 0; c < classWeights.Length; c++)
            {
                if (!(classWeights[c] >= 0f) || float.IsPositiveInfinity(classWeights[c]))
                    throw new ArgumentException($"The weight of class {c} is {classWeights[c]}; class weights must be finite and >= 0.", nameof(classWeights));
                _classWeightSum += classWeights[c];
            }
            _classWeights = (float[])classWeights.Clone();
        }
        LabelSmoothing = labelSmoothing;
    }

    /// <summary>The class weights, or null when every class weighs 1.</summary>
    public IReadOnlyList<float>? ClassWeights => _classWeights;

    /// <summary>The label smoothing factor <c>ε</c>.</summary>
    public float LabelSmoothing { get; }

    /// <inheritdoc />
    public override float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        if (prediction.Rank != 2)
            throw new ArgumentException($"{Name} expects logits of shape (N, C); got {prediction.ShapeString()}.", nameof(prediction));
        int n = prediction.Dim(0), classes = prediction.Dim(1);
        if (classes == 0)
            throw new ArgumentException($"{Name} expects at least one class; got logits of shape {prediction.ShapeString()}.", nameof(prediction));
        if (_classWeights is not null && _classWeights.Length != classes)
            throw new ArgumentException($"{Name} has weights for {_classWeights.Length} classes but the logits have C = {classes} columns.", nameof(prediction));
        LossValidation.CheckOnePerRow(target, n, Name);
        var sample = LossValidation.SampleWeights(sampleWeight, n, Name);
        var labels = target.Span;

        // Validate every label and accumulate D = Σ s_i·a_{y_i} before touching the gradient.
        double denominator = 0;
        for (int i = 0; i < n; i++)
        {
            float label = labels[i];
            if (!(label >= 0f && label < classes) || label != MathF.Floor(label))
                throw new ArgumentException(
                    $"{Name}: the target of row {i} is {label}, which is not a class index; expected an integer in [0, {classes - 1}].",
                    nameof(target));
            denominator += (double)(sample.IsEmpty ? 1f : sample[i]) * (_classWeights?[(int)label] ?? 1f);
        }

        _gradient.Resize(n, classes);
        _forwardCalled = true;
        if (denominator == 0)
        {
            _gradient.Clear();
            return 0f;
        }

        float eps = LabelSmoothing;
        double smoothPerClass = (double)eps / classes;
        double weightSum = _classWeights is null ? classes : _classWeightSum;
        ReadOnlySpan<float> logits = prediction.Span;
        Span<float> grad = _gradient.Span;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            var z = logits.Slice(i * classes, classes);
            var g = grad.Slice(i * classes, classes);
            int y = (int)labels[i];
            float s = sample.IsEmpty ? 1f : sample[i];
            double ay = _classWeights?[y] ?? 1.0;

            // g = exp(z - max); lse = max + log Σ exp(z - max).
            float max = TensorPrimitives.Max(z);
            TensorPrimitives.Subtract(z, max, g);
            TensorPrimitives.Exp(g, g);
            float expSum = TensorPrimitives.Sum(g);
            double lse = max + Math.Log(expSum);

            double rowLoss = (1 - eps) * ay * (lse - z[y]);
            if (eps != 0f)
            {
                double smooth = 0;
                for (int c = 0; c < classes; c++)
                    smooth += (_classWeights?[c] ?? 1.0) * (lse - z[c]);
                rowLoss += smoothPerClass * smooth;
            }
            total += s * rowLoss;

            // g = s/D·[((1-ε)·a_y + ε·Σa/C)·p - (1-ε)·a_y·onehot(y) - (ε/C)·a].
            double scale = s / denominator;
            TensorPrimitives.Multiply(g, (float)(scale * ((1 - eps) * ay + smoothPerClass * weightSum) / expSum), g);
            g[y] -= (float)(scale * (1 - eps) * ay);
            if (eps != 0f)
            {
                float shift = (float)(scale * smoothPerClass);
                if (_classWeights is null) TensorPrimitives.Subtract(g, shift, g);
                else TensorPrimitives.MultiplyAdd(_classWeights, -shift, g, g);
            }
        }
        return (float)(total / denominator);
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No <see cref="Forward"/> call yet.</exception>
    public override Tensor Backward()
    {
        LossValidation.CheckForwardCalled(_forwardCalled, Name);
        return _gradient;
    }
}
