namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// Fills with one value (PyTorch <c>nn.init.constant_</c>, Keras <c>Constant</c>); <see cref="Zeros"/> and
/// <see cref="Ones"/> are the usual cases (biases, normalization shifts and scales). Draws nothing from the generator.
/// </summary>
public sealed class Constant : IInitializer
{
    /// <summary>Creates an initializer that writes <paramref name="value"/> everywhere.</summary>
    public Constant(float value) => Value = value;

    /// <summary>All zeros.</summary>
    public static Constant Zeros { get; } = new(0f);

    /// <summary>All ones.</summary>
    public static Constant Ones { get; } = new(1f);

    /// <summary>The value written.</summary>
    public float Value { get; }

    /// <inheritdoc />
    public void Initialize(Span<float> values, int fanIn, int fanOut, Rng rng) => values.Fill(Value);
}
