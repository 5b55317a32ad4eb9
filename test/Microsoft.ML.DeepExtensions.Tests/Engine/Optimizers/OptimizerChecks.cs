using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Optimizers;

/// <summary>Drives optimizers on the fixtures' objective <c>f(w) = Σ c·w² + Σ d·w</c> (gradient <c>2·c·w + d</c>).</summary>
internal static class OptimizerChecks
{
    /// <summary>Runs 5 steps from the fixture's <c>w0</c> and compares every <c>w</c> with <c>trajectory</c>.</summary>
    public static void MatchesFixtureTrajectory(string fixtureName, Func<Parameter[], Optimizer> create)
    {
        var f = Fixture.Load(fixtureName);
        var expected = f.Tensor("trajectory");
        var actual = Run(f.Tensor("w0"), f.Tensor("c"), f.Tensor("d"), create, expected.Dim(0));
        TensorAssert.Close(actual, expected, TensorAssert.ElementwiseRelative, TensorAssert.ElementwiseAbsolute, $"{fixtureName} trajectory");
    }

    /// <summary>Runs <paramref name="steps"/> steps of the quadratic objective; row k of the result is w after step k+1.</summary>
    public static Tensor Run(Tensor w0, Tensor c, Tensor d, Func<Parameter[], Optimizer> create, int steps)
    {
        var parameter = new Parameter("w", w0.Clone(), isWeight: true);
        var optimizer = create([parameter]);
        int n = w0.Length;
        var trajectory = new Tensor(steps, n);
        for (int k = 0; k < steps; k++)
        {
            QuadraticGradient(parameter, c, d);
            optimizer.Step();
            parameter.Value.Span.CopyTo(trajectory.Span.Slice(k * n, n));
        }
        return trajectory;
    }

    /// <summary>Writes <c>2·c·w + d</c> into the parameter's gradient.</summary>
    public static void QuadraticGradient(Parameter p, Tensor c, Tensor d)
    {
        for (int i = 0; i < p.Value.Length; i++) p.Gradient[i] = 2f * c[i] * p.Value[i] + d[i];
    }

    /// <summary>
    /// The SIMD body and the scalar tail agree: a 37-element parameter follows the same trajectory as 37
    /// one-element parameters optimized separately.
    /// </summary>
    public static void VectorPathMatchesScalarPath(Func<Parameter[], Optimizer> create)
    {
        const int n = 37, steps = 4;
        var rng = new Rng(77);
        var w0 = new Tensor(n);
        var c = new Tensor(n);
        var d = new Tensor(n);
        for (int i = 0; i < n; i++)
        {
            w0[i] = 4f * rng.NextFloat() - 2f;
            c[i] = rng.NextFloat();
            d[i] = 2f * rng.NextFloat() - 1f;
        }
        var together = Run(w0, c, d, create, steps);
        for (int i = 0; i < n; i++)
        {
            var alone = Run(new Tensor([w0[i]], 1), new Tensor([c[i]], 1), new Tensor([d[i]], 1), create, steps);
            for (int k = 0; k < steps; k++)
                together[k, i].Should().BeApproximately(alone[k, 0], 1e-6f + 1e-5f * MathF.Abs(alone[k, 0]), $"element {i}, step {k}");
        }
    }

    /// <summary>After <see cref="Optimizer.Reset"/> the optimizer retraces its trajectory from the current point as if new.</summary>
    public static void ResetRestartsLikeANewOptimizer(Func<Parameter[], Optimizer> create)
    {
        var w = new Tensor([0.5f, -1.5f, 2f], 3);
        var c = new Tensor([0.3f, 0.8f, 0.1f], 3);
        var d = new Tensor([0.1f, -0.2f, 0.4f], 3);
        var parameter = new Parameter("w", w.Clone(), isWeight: true);
        var optimizer = create([parameter]);
        for (int k = 0; k < 3; k++)
        {
            QuadraticGradient(parameter, c, d);
            optimizer.Step();
        }
        optimizer.Reset();
        optimizer.StepCount.Should().Be(0);
        var restart = parameter.Value.Clone();
        for (int k = 0; k < 2; k++)
        {
            QuadraticGradient(parameter, c, d);
            optimizer.Step();
        }
        var fresh = Run(restart, c, d, create, 2);
        TensorAssert.Close(parameter.Value.Span, fresh.Span.Slice(3, 3), 1e-6, 1e-7, "after Reset");
    }
}
