namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Splits one <see cref="Gemm"/> product into independent rectangles of C (whole rows or whole
/// columns, aligned to micro-tiles) and runs them on up to
/// <see cref="Parallelism.MaxDegreeOfParallelism"/> threads. Each rectangle covers all of k, so
/// no element's summation is shared between threads.
/// </summary>
internal static unsafe class GemmThreading
{
    /// <summary>Computes all of C with at most <paramref name="threads"/> threads.</summary>
    public static void Run(GemmArgs args, GemmKernel kernel, int m, int n, int threads)
    {
        int nr = kernel.NR, mr = GemmBlocking.MR;
        // Split the longer side of C (in tiles) so each task keeps a wide, well-shaped block.
        bool splitRows = (m + mr - 1) / mr * mr >= (n + nr - 1) / nr * nr;
        int unit = splitRows ? mr : nr, extent = splitRows ? m : n;
        int units = (extent + unit - 1) / unit;
        int tasks = Math.Min(threads, units);
        if (tasks <= 1)
        {
            GemmBlocking.Run(args, kernel, 0, m, 0, n);
            return;
        }
        Parallel.For(0, tasks, new ParallelOptions { MaxDegreeOfParallelism = tasks }, t =>
        {
            int start = (int)((long)units * t / tasks) * unit;
            int end = Math.Min(extent, (int)((long)units * (t + 1) / tasks) * unit);
            if (splitRows) GemmBlocking.Run(args, kernel, start, end, 0, n);
            else GemmBlocking.Run(args, kernel, 0, m, start, end);
        });
    }
}
