namespace Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

/// <summary>Small statistics helpers (numpy's median: the mean of the two middle values for an even count).</summary>
public static class Stats
{
    /// <summary>The median of <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException">No values.</exception>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        if (sorted.Length == 0) throw new ArgumentException("The median of no values is undefined.", nameof(values));
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : 0.5 * (sorted[mid - 1] + sorted[mid]);
    }
}
