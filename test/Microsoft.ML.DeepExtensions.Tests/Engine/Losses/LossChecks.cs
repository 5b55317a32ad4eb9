using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Losses;

/// <summary>Checks shared by the loss tests: fixtures, finite differences, weights, allocations.</summary>
internal static class LossChecks
{
    /// <summary>Loss value (a reduction) and gradient (element-wise) against a PyTorch fixture.</summary>
    public static void MatchesFixture(Loss loss, string fixtureName, string predictionKey, string gradientKey)
    {
        var f = Fixture.Load(fixtureName);
        float value = loss.Forward(f.Tensor(predictionKey), f.Tensor("target"));
        TensorAssert.Close([value], [(float)f.Number("loss")], TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, $"{fixtureName} loss");
        TensorAssert.Close(loss.Backward(), f.Tensor(gradientKey), TensorAssert.ReductionRelative, TensorAssert.ElementwiseAbsolute, $"{fixtureName} gradient");
    }

    /// <summary>Uniform values in [lo, hi).</summary>
    public static Tensor Uniform(Rng rng, float lo, float hi, params int[] shape)
    {
        var t = new Tensor(shape);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = lo + (hi - lo) * rng.NextFloat();
        return t;
    }

    /// <summary>Random class indices in [0, classes) stored as floats.</summary>
    public static Tensor ClassIndices(Rng rng, int n, int classes)
    {
        var t = new Tensor(n);
        for (int i = 0; i < n; i++) t[i] = rng.NextInt(classes);
        return t;
    }

    /// <summary>
    /// Central finite differences of <see cref="Loss.Forward"/> (in float, step <paramref name="h"/>) against
    /// <see cref="Loss.Backward"/>: |numeric - analytic| ≤ tol·max|analytic| + tol for every element.
    /// </summary>
    public static void GradientMatchesFiniteDifferences(Loss loss, Tensor prediction, Tensor target, Tensor? weights, float h = 1e-2f, double tol = 2e-3)
    {
        loss.Forward(prediction, target, weights);
        var analytic = loss.Backward().Clone();
        double scale = 0;
        foreach (float g in analytic.Span) scale = Math.Max(scale, Math.Abs(g));
        scale.Should().BeGreaterThan(0, "a zero gradient would make this check vacuous");
        var x = prediction.Span;
        for (int i = 0; i < x.Length; i++)
        {
            float keep = x[i];
            x[i] = keep + h;
            double plus = loss.Forward(prediction, target, weights);
            x[i] = keep - h;
            double minus = loss.Forward(prediction, target, weights);
            x[i] = keep;
            double numeric = (plus - minus) / (2 * h);
            double diff = Math.Abs(numeric - analytic[i]);
            if (diff > tol * scale + tol * 1e-2)
                throw new AssertFailedException($"{loss.Name} gradient[{i}]: analytic {analytic[i]:R}, numeric {numeric:R} (|diff| {diff:E3}).");
        }
    }

    /// <summary>
    /// A weight of 2 on row <c>r</c> gives the loss of the batch with row <c>r</c> duplicated, and a gradient
    /// equal to the sum of the two copies' gradients.
    /// </summary>
    public static void WeightTwoEqualsDuplicatedRow(Loss loss, Tensor prediction, Tensor target, int row)
    {
        int n = prediction.Dim(0);
        int pRow = prediction.RowLength, tRow = target.RowLength;
        var weights = new Tensor(n);
        weights.Fill(1f);
        weights[row] = 2f;
        float weighted = loss.Forward(prediction, target, weights);
        var weightedGrad = loss.Backward().Clone();

        var dupShape = prediction.Shape.ToArray();
        dupShape[0] = n + 1;
        var dupPrediction = new Tensor(dupShape);
        prediction.Span.CopyTo(dupPrediction.Span);
        prediction.Span.Slice(row * pRow, pRow).CopyTo(dupPrediction.Span.Slice(n * pRow));
        var dupTargetShape = target.Shape.ToArray();
        dupTargetShape[0] = n + 1;
        var dupTarget = new Tensor(dupTargetShape);
        target.Span.CopyTo(dupTarget.Span);
        target.Span.Slice(row * tRow, tRow).CopyTo(dupTarget.Span.Slice(n * tRow));
        float duplicated = loss.Forward(dupPrediction, dupTarget);
        var dupGrad = loss.Backward();

        TensorAssert.Close([weighted], [duplicated], 1e-5, 1e-7, $"{loss.Name} weighted vs duplicated loss");
        var expected = new Tensor(prediction.Shape);
        dupGrad.Span.Slice(0, n * pRow).CopyTo(expected.Span);
        for (int j = 0; j < pRow; j++) expected[row * pRow + j] += dupGrad[n * pRow + j];
        TensorAssert.Close(weightedGrad, expected, 1e-5, 1e-7, $"{loss.Name} weighted vs duplicated gradient");
    }

    /// <summary>Once shapes are stable, Forward + Backward allocate nothing.</summary>
    public static void ForwardAndBackwardDoNotAllocate(Loss loss, Tensor prediction, Tensor target, Tensor? weights)
    {
        loss.Forward(prediction, target, weights);
        loss.Backward();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            loss.Forward(prediction, target, weights);
            loss.Backward();
        }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0, $"{loss.Name} must reuse its gradient tensor");
    }
}
