namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// Fills a parameter tensor with initial values (PyTorch <c>torch.nn.init</c>, Keras <c>initializers</c>).
/// </summary>
/// <remarks>
/// The layer passes the tensor's fans: for a dense weight <c>[out, in]</c>, <c>fanIn = in</c> and
/// <c>fanOut = out</c>; for a convolution kernel <c>[C_out, C_in/groups, kH, kW]</c>,
/// <c>fanIn = C_in/groups·kH·kW</c> and <c>fanOut = C_out·kH·kW</c>. Values are drawn in row-major
/// order from the generator passed to <see cref="Initialize"/> only, so a seed fixes them bit for bit.
/// </remarks>
public interface IInitializer
{
    /// <summary>Overwrites every element of <paramref name="values"/>.</summary>
    /// <param name="values">The parameter's elements, row-major.</param>
    /// <param name="fanIn">Number of inputs feeding each output unit (≥ 1 for fan-scaled initializers).</param>
    /// <param name="fanOut">Number of outputs each input unit feeds (≥ 1 for fan-scaled initializers).</param>
    /// <param name="rng">The only source of randomness.</param>
    void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng);
}
