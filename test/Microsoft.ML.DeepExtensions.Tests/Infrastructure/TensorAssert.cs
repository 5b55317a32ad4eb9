using FluentAssertions;
using Microsoft.ML.DeepExtensions.Engine;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>Element-wise tensor comparisons with the tolerances of Fixtures/README.md.</summary>
public static class TensorAssert
{
    /// <summary>Element-wise ops: 1e-5 relative + 1e-6 absolute.</summary>
    public const double ElementwiseRelative = 1e-5, ElementwiseAbsolute = 1e-6;

    /// <summary>Reductions, convolutions, recurrent layers, attention: 1e-4 relative (with a 1e-6 absolute floor).</summary>
    public const double ReductionRelative = 1e-4, ReductionAbsolute = 1e-6;

    /// <summary>Asserts |actual - expected| ≤ abs + rel·|expected| for every element, and equal shapes.</summary>
    public static void Close(Tensor actual, Tensor expected, double rel, double abs, string what)
    {
        actual.Shape.ToArray().Should().Equal(expected.Shape.ToArray(), $"{what} shape");
        Close(actual.Span, expected.Span, rel, abs, what);
    }

    /// <summary>Asserts |actual - expected| ≤ abs + rel·|expected| for every element.</summary>
    public static void Close(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double rel, double abs, string what)
    {
        actual.Length.Should().Be(expected.Length, $"{what} length");
        for (int i = 0; i < actual.Length; i++)
        {
            double tol = abs + rel * Math.Abs(expected[i]);
            double diff = Math.Abs((double)actual[i] - expected[i]);
            if (!(diff <= tol))
                throw new AssertFailedException($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (|diff| {diff:E3} > tol {tol:E3}).");
        }
    }
}
