namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// <c>U(-1/√fan_in, 1/√fan_in)</c>: PyTorch's default for <c>nn.Linear</c> and <c>nn.Conv*</c> weights and
/// biases. PyTorch writes it as <c>kaiming_uniform_(w, a=√5)</c>, whose bound
/// <c>√(2/(1+a²))·√(3/fan_in)</c> reduces to <c>1/√fan_in</c>; biases use the same bound with the weight's fan_in.
/// </summary>
/// <remarks>
/// The bound is computed in float64 and rounded once to float32; value <c>i</c> is
/// <c>(2u - 1)·bound</c> with <c>u</c> = <see cref="Rng.NextFloat"/>, the rule of the benchmark anchors.
/// </remarks>
public sealed class FanInUniform : IInitializer
{
    /// <summary>The shared instance.</summary>
    public static FanInUniform Instance { get; } = new();

    /// <summary>The bound <c>1/√fanIn</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> ≤ 0.</exception>
    public static double Bound(int fanIn)
    {
        InitializerMath.CheckFan(fanIn, nameof(fanIn), nameof(FanInUniform));
        return 1.0 / Math.Sqrt(fanIn);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fanIn"/> ≤ 0.</exception>
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng) =>
        InitializerMath.FillSymmetricUniform(values, Bound(fanIn), rng);
}
