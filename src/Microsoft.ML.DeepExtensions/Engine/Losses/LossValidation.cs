namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>Argument checks shared by the losses (shapes, per-example weights, state).</summary>
internal static class LossValidation
{
    /// <summary>
    /// Checks that <paramref name="prediction"/> is batch first with at least one dimension and that
    /// <paramref name="target"/> has the same shape (<c>(N)</c> and <c>(N, 1)</c> count as the same).
    /// </summary>
    /// <returns>The batch size <c>N</c>.</returns>
    public static int CheckSameShape(Tensor prediction, Tensor target, string lossName)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(target);
        if (prediction.Rank == 0)
            throw new ArgumentException($"{lossName} expects a batch-first prediction of shape (N) or (N, D); got a scalar.", nameof(prediction));
        if (!Tensor.SameShape(prediction.Shape, target.Shape) && !IsVectorAndColumn(prediction, target) && !IsVectorAndColumn(target, prediction))
            throw new ArgumentException(
                $"{lossName} expects the target to have the prediction's shape {prediction.ShapeString()}; got {target.ShapeString()}.",
                nameof(target));
        return prediction.Dim(0);
    }

    /// <summary>Checks that <paramref name="target"/> holds one value per row: shape <c>(N)</c> or <c>(N, 1)</c>.</summary>
    public static void CheckOnePerRow(Tensor target, int n, string lossName)
    {
        ArgumentNullException.ThrowIfNull(target);
        bool ok = (target.Rank == 1 && target.Dim(0) == n) || (target.Rank == 2 && target.Dim(0) == n && target.Dim(1) == 1);
        if (!ok)
            throw new ArgumentException($"{lossName} expects targets of shape ({n}) (one class index per row of the prediction); got {target.ShapeString()}.", nameof(target));
    }

    /// <summary>
    /// Checks optional per-example weights: shape <c>(N)</c> or <c>(N, 1)</c>, every value finite and ≥ 0.
    /// </summary>
    /// <returns>The weights, or an empty span when <paramref name="sampleWeight"/> is null (all weights 1).</returns>
    public static ReadOnlySpan<float> SampleWeights(Tensor? sampleWeight, int n, string lossName)
    {
        if (sampleWeight is null) return default;
        bool ok = (sampleWeight.Rank == 1 && sampleWeight.Dim(0) == n) || (sampleWeight.Rank == 2 && sampleWeight.Dim(0) == n && sampleWeight.Dim(1) == 1);
        if (!ok)
            throw new ArgumentException($"{lossName} expects per-example weights of shape ({n}); got {sampleWeight.ShapeString()}.", nameof(sampleWeight));
        var w = sampleWeight.Span;
        for (int i = 0; i < w.Length; i++)
        {
            if (!(w[i] >= 0f) || float.IsPositiveInfinity(w[i]))
                throw new ArgumentException($"{lossName}: the weight of row {i} is {w[i]}; per-example weights must be finite and >= 0.", nameof(sampleWeight));
        }
        return w;
    }

    /// <summary>Throws when <see cref="Loss.Backward"/> is called before any <see cref="Loss.Forward"/>.</summary>
    public static void CheckForwardCalled(bool called, string lossName)
    {
        if (!called)
            throw new InvalidOperationException($"{lossName}.Backward was called before Forward.");
    }

    private static bool IsVectorAndColumn(Tensor a, Tensor b) =>
        a.Rank == 1 && b.Rank == 2 && b.Dim(1) == 1 && a.Dim(0) == b.Dim(0);
}
