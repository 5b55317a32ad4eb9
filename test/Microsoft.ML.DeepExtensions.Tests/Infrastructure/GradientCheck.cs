using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>
/// Finite-difference check of a layer's backward pass.
/// </summary>
/// <remarks>
/// <para>The scalar is <c>f = Σᵢ yᵢ·uᵢ</c>, <c>y = layer.Forward(x)</c>, with a fixed random upstream gradient <c>u</c>
/// (standard normal), summed in float64. So <c>∂f/∂x = Backward(u)</c> and <c>∂f/∂θ</c> = the parameter
/// gradients left by that call.</para>
/// <para>Each checked coordinate <c>v</c> (the input's and every parameter's; a seeded sample of at most
/// <see cref="Options.MaxCoordinates"/> per tensor) is perturbed in float32 by <c>±h</c> and <c>±h/2</c>,
/// <c>h = Step·max(1, |v|)</c>. The central differences use the perturbation actually stored after float32
/// rounding, and are combined by Richardson extrapolation, <c>(4·D(h/2) - D(h)) / 3</c>, whose truncation
/// error is O(h⁴). What is left is float32 rounding noise of <c>f</c> divided by <c>h</c>, about 1e-5 for unit-scale
/// tensors, so the default tolerance is <c>|numeric - analytic| ≤ Abs·s + Rel·|analytic|</c> with
/// <c>Abs = Rel = 1e-3</c> and <c>s = max(1, max |analytic|)</c> over the tensor.</para>
/// <para>Also checked: Backward overwrites rather than accumulates (a second call with the same upstream gives the
/// same gradients bit for bit). Keep inputs away from kinks (ReLU at 0) by more than <c>h</c>.</para>
/// </remarks>
public static class GradientCheck
{
    /// <summary>Settings of a check.</summary>
    /// <param name="Step">Relative finite-difference step <c>h</c>.</param>
    /// <param name="Rel">Relative tolerance.</param>
    /// <param name="Abs">Absolute tolerance, scaled by the tensor's largest analytic gradient (at least 1).</param>
    /// <param name="MaxCoordinates">Coordinates sampled per tensor (all when the tensor is smaller).</param>
    /// <param name="Training">The <c>training</c> flag passed to Forward.</param>
    /// <param name="Seed">Seed of the upstream gradient and the coordinate sample.</param>
    public sealed record Options(double Step = 1e-2, double Rel = 1e-3, double Abs = 1e-3, int MaxCoordinates = 48, bool Training = true, ulong Seed = 12345);

    /// <summary>Checks dInput and every parameter gradient of <paramref name="layer"/> at <paramref name="input"/>.</summary>
    /// <param name="layer">The layer (its ComputeInputGradient is set to true).</param>
    /// <param name="input">The input; it is modified during the check and restored.</param>
    /// <param name="options">Settings; defaults when null.</param>
    /// <param name="beforeForward">Called before every Forward (e.g. to re-seed a dropout mask).</param>
    public static void Check(Layer layer, Tensor input, Options? options = null, Action? beforeForward = null)
    {
        options ??= new Options();
        layer.ComputeInputGradient = true;
        var rng = new Rng(options.Seed);

        beforeForward?.Invoke();
        Tensor y = layer.Forward(input, options.Training);
        Tensor upstream = TestTensors.Gaussian(rng, y.Shape);
        Tensor? dx = layer.Backward(upstream)?.Clone();
        dx.Should().NotBeNull($"{layer.Name}.Backward must return dInput when ComputeInputGradient is true");
        dx!.Shape.ToArray().Should().Equal(input.Shape.ToArray(), $"{layer.Name} dInput shape");
        Tensor[] grads = layer.Parameters.Select(p => p.Gradient.Clone()).ToArray();

        // Backward must overwrite, not accumulate: a second identical pass gives identical gradients.
        beforeForward?.Invoke();
        layer.Forward(input, options.Training);
        Tensor dx2 = layer.Backward(upstream)!;
        dx2.Span.SequenceEqual(dx.Span).Should().BeTrue($"{layer.Name}: a repeated Backward must give the same dInput");
        for (int p = 0; p < grads.Length; p++)
            layer.Parameters[p].Gradient.Span.SequenceEqual(grads[p].Span).Should()
                .BeTrue($"{layer.Name}: Backward must overwrite (not accumulate) the gradient of {layer.Parameters[p].Name}");

        double Objective()
        {
            beforeForward?.Invoke();
            Tensor o = layer.Forward(input, options.Training);
            ReadOnlySpan<float> os = o.Span, us = upstream.Span;
            double s = 0;
            for (int i = 0; i < os.Length; i++) s += (double)os[i] * us[i];
            return s;
        }

        Compare($"{layer.Name} dInput", input, dx, Objective, options, rng);
        for (int p = 0; p < grads.Length; p++)
            Compare($"{layer.Name} d{layer.Parameters[p].Name}", layer.Parameters[p].Value, grads[p], Objective, options, rng);
    }

    private static void Compare(string what, Tensor values, Tensor analytic, Func<double> objective, Options options, Rng rng)
    {
        int length = values.Length;
        int[] coordinates = Enumerable.Range(0, length).ToArray();
        if (length > options.MaxCoordinates)
        {
            rng.Shuffle(coordinates.AsSpan());
            coordinates = coordinates[..options.MaxCoordinates];
        }
        double scale = 1.0;
        foreach (float g in analytic.Span) scale = Math.Max(scale, Math.Abs(g));

        foreach (int i in coordinates)
        {
            float original = values[i];
            double h = options.Step * Math.Max(1.0, Math.Abs(original));
            double d1 = Central(values, i, original, h, objective);
            double d2 = Central(values, i, original, h / 2, objective);
            values[i] = original;
            double numeric = (4 * d2 - d1) / 3;
            double expected = analytic[i];
            double tol = options.Abs * scale + options.Rel * Math.Abs(expected);
            if (!(Math.Abs(numeric - expected) <= tol))
                throw new AssertFailedException(
                    $"{what}[{i}]: analytic {expected:G9}, finite difference {numeric:G9} (|diff| {Math.Abs(numeric - expected):E3} > tol {tol:E3}; D(h) {d1:G9}, D(h/2) {d2:G9}).");
        }
    }

    private static double Central(Tensor values, int i, float original, double h, Func<double> objective)
    {
        float plus = (float)(original + h), minus = (float)(original - h);
        values[i] = plus;
        double fPlus = objective();
        values[i] = minus;
        double fMinus = objective();
        return (fPlus - fMinus) / ((double)plus - minus);
    }
}
