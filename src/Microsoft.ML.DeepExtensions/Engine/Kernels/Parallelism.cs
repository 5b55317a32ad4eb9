namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The engine's thread budget. Kernels split work into blocks whose results do not depend on which
/// thread computes them, so the output is bit-identical for every value of
/// <see cref="MaxDegreeOfParallelism"/>.
/// </summary>
public static class Parallelism
{
    private static int _maxDegree = Environment.ProcessorCount;

    /// <summary>The largest number of threads a kernel may use. Default: <see cref="Environment.ProcessorCount"/>. Values below 1 are treated as 1.</summary>
    public static int MaxDegreeOfParallelism
    {
        get => _maxDegree;
        set => _maxDegree = Math.Max(1, value);
    }
}
