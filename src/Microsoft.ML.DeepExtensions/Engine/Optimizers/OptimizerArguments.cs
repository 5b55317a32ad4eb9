namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>Range checks for optimizer hyperparameters, with messages naming the argument and the expected range.</summary>
internal static class OptimizerArguments
{
    /// <summary>Finite and ≥ 0.</summary>
    public static float NonNegative(float value, string name) =>
        value >= 0f && float.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite value >= 0.");

    /// <summary>In <c>[0, 1)</c> (moment decay rates).</summary>
    public static float UnitInterval(float value, string name) =>
        value >= 0f && value < 1f
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1).");

    /// <summary>In <c>[0, 1]</c>.</summary>
    public static float ClosedUnitInterval(float value, string name) =>
        value >= 0f && value <= 1f
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be in [0, 1].");
}
