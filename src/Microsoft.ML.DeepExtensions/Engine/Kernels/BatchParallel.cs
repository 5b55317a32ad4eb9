namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Runs a loop over independent items (images, or image planes) on up to
/// <see cref="Parallelism.MaxDegreeOfParallelism"/> threads, each thread on one contiguous range of items.
/// </summary>
/// <remarks>
/// The body must write only the outputs of the items in its range, and compute each of them in an order that
/// does not depend on the range: results are then bit-identical for every thread count. Loops with less than
/// <see cref="MinWorkPerThread"/> units of work per thread run on the calling thread alone; so does every loop
/// when <see cref="Parallelism.MaxDegreeOfParallelism"/> is 1, and then nothing is allocated (pass the state as
/// the <c>TState</c> argument and a <c>static</c> lambda). A multi-threaded loop allocates a few small objects.
/// </remarks>
internal static class BatchParallel
{
    /// <summary>
    /// Work units (about one float read or written) a thread must get before another is woken: 2^18 (about 1 MB of
    /// traffic). Kept high because these loops are memory-bound and, on a machine with few cores, a woken thread
    /// competes with the GEMM's own helper threads.
    /// </summary>
    public const long MinWorkPerThread = 1L << 18;

    /// <summary>Calls <paramref name="body"/>(<paramref name="state"/>, begin, end) over disjoint ranges covering <c>[0, count)</c>.</summary>
    /// <param name="count">Number of items.</param>
    /// <param name="workPerItem">Approximate work of one item (values touched), to decide how many threads pay off.</param>
    /// <param name="state">Passed to the body (typically the calling layer).</param>
    /// <param name="body">Processes items <c>[begin, end)</c>.</param>
    public static void For<TState>(int count, long workPerItem, TState state, Action<TState, int, int> body)
    {
        if (count <= 0) return;
        long byWork = Math.Max(1, count * Math.Max(1, workPerItem) / MinWorkPerThread);
        int threads = (int)Math.Min(Math.Min(Parallelism.MaxDegreeOfParallelism, count), byWork);
        if (threads <= 1)
        {
            body(state, 0, count);
            return;
        }
        Split(count, threads, state, body);
    }

    // A separate method: the closure it needs would otherwise be allocated on entry to For, even on the one-thread path.
    private static void Split<TState>(int count, int threads, TState state, Action<TState, int, int> body)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        Parallel.For(0, threads, options, t => body(state, (int)((long)count * t / threads), (int)((long)count * (t + 1) / threads)));
    }

    /// <summary>
    /// Runs tasks <c>[0, taskCount)</c> on up to <paramref name="threads"/> workers: worker <c>w</c> (in
    /// <c>[0, min(threads, taskCount))</c>) calls <paramref name="body"/>(<paramref name="state"/>, w, task) for the tasks
    /// it claims, one at a time, so it may use scratch buffers of its own. Which worker runs which task varies from run
    /// to run: each task must write only its own outputs.
    /// </summary>
    /// <param name="taskCount">Number of tasks.</param>
    /// <param name="threads">Most workers to use (the caller bounds it by <see cref="Parallelism.MaxDegreeOfParallelism"/>).</param>
    /// <param name="state">Passed to the body.</param>
    /// <param name="body">Runs one task: (state, worker, task).</param>
    public static void ForTasks<TState>(int taskCount, int threads, TState state, Action<TState, int, int> body)
    {
        int workers = Math.Min(threads, taskCount);
        if (workers <= 1)
        {
            for (int t = 0; t < taskCount; t++) body(state, 0, t);
            return;
        }
        SplitTasks(taskCount, workers, state, body);
    }

    private static void SplitTasks<TState>(int taskCount, int workers, TState state, Action<TState, int, int> body)
    {
        int next = -1;
        var options = new ParallelOptions { MaxDegreeOfParallelism = workers };
        Parallel.For(0, workers, options, w =>
        {
            int t;
            while ((t = Interlocked.Increment(ref next)) < taskCount) body(state, w, t);
        });
    }
}
