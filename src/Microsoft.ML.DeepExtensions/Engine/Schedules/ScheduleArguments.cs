namespace Microsoft.ML.DeepExtensions.Engine.Schedules;

/// <summary>Argument checks shared by the learning-rate schedules.</summary>
internal static class ScheduleArguments
{
    /// <summary>The epoch or step index must be ≥ 0.</summary>
    public static void CheckTime(int t)
    {
        if (t < 0)
            throw new ArgumentOutOfRangeException(nameof(t), t, "The epoch or step index must be >= 0.");
    }

    /// <summary>Finite and &gt; 0.</summary>
    public static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and > 0.");

    /// <summary>Finite and ≥ 0.</summary>
    public static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and >= 0.");

    /// <summary>An integer count ≥ <paramref name="minimum"/>.</summary>
    public static int AtLeast(int value, int minimum, string name) =>
        value >= minimum
            ? value
            : throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {minimum}.");
}
