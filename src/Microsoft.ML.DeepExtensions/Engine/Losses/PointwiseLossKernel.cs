namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>An element-wise loss <c>l(d)</c> of the difference <c>d = prediction - target</c>, and its derivative.</summary>
internal interface IPointwiseLoss
{
    /// <summary>The loss of one element.</summary>
    double Value(float difference);

    /// <summary>dl/dd for one element.</summary>
    float Derivative(float difference);
}

/// <summary>
/// The reduction shared by the regression losses: the mean of <c>l(prediction - target)</c> over all
/// elements, each row weighted by its per-example weight.
/// </summary>
/// <remarks>
/// With rows of <c>D</c> elements and weights <c>w_i</c>, the loss is
/// <c>Σ_i w_i·Σ_j l(d_ij) / (D·Σ_i w_i)</c>: without weights, the plain mean over all <c>N·D</c> elements
/// (PyTorch <c>reduction='mean'</c>); a weight of 2 on a row counts it twice. When every weight is zero
/// (or the batch is empty) the loss and its gradient are 0.
/// </remarks>
internal static class PointwiseLossKernel
{
    /// <summary>Computes the loss and writes its gradient into <paramref name="gradient"/> (resized to the prediction's shape).</summary>
    public static float Forward<TLoss>(in TLoss loss, Tensor prediction, Tensor target, Tensor? sampleWeight, Tensor gradient, string lossName)
        where TLoss : struct, IPointwiseLoss
    {
        int n = LossValidation.CheckSameShape(prediction, target, lossName);
        var weights = LossValidation.SampleWeights(sampleWeight, n, lossName);
        gradient.Resize(prediction.Shape);
        var g = gradient.Span;
        int length = prediction.Length;
        int d = n == 0 ? 0 : length / n;
        double weightSum = 0;
        if (weights.IsEmpty) weightSum = n;
        else foreach (float w in weights) weightSum += w;
        if (length == 0 || weightSum == 0)
        {
            g.Clear();
            return 0f;
        }

        ReadOnlySpan<float> p = prediction.Span, t = target.Span;
        double denominator = weightSum * d;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            float wi = weights.IsEmpty ? 1f : weights[i];
            float scale = (float)(wi / denominator);
            double rowSum = 0;
            for (int k = i * d, end = k + d; k < end; k++)
            {
                float diff = p[k] - t[k];
                rowSum += loss.Value(diff);
                g[k] = scale * loss.Derivative(diff);
            }
            total += wi * rowSum;
        }
        return (float)(total / denominator);
    }
}
