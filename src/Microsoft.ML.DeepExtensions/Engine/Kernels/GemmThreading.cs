using System.Diagnostics;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Splits one <see cref="Gemm"/> product into independent rectangles of C (narrow column strips
/// of <c>DirectAMaxColumns·NR</c> columns for short, wide products; otherwise one block of whole
/// rows or whole columns per thread, aligned to micro-tiles) and runs them on the calling thread plus up to
/// <see cref="Parallelism.MaxDegreeOfParallelism"/> − 1 helper threads. Each rectangle covers all
/// of k, so no element's summation is shared between threads and the result does not depend on
/// which thread runs which rectangle.
/// </summary>
/// <remarks>
/// A lightweight fork-join (instead of <c>Parallel.For</c>, whose wake-up cost is as long as a
/// whole small product): dedicated background helpers spin for <see cref="SpinMicroseconds"/>
/// after each product, so the back-to-back multiplies of a training step find them awake, then
/// sleep on a semaphore. Tasks are claimed with an atomic counter; the caller claims too, so a
/// product always completes even if no helper wakes. One product uses the helpers at a time;
/// a concurrent caller runs its product on its own thread.
/// </remarks>
internal static class GemmThreading
{
    /// <summary>How long an idle helper keeps polling for the next product before it sleeps.</summary>
    public const int SpinMicroseconds = 200;

    /// <summary>Up to this many rows, a product at least as wide as it is tall is cut into narrow column tasks.</summary>
    public const int ColumnTaskMaxRows = 1024;

    private static readonly SemaphoreSlim s_wake = new(0);
    private static readonly object s_startLock = new();
    private static Job? s_job;        // the product being shared out (a fresh object per product)
    private static int s_generation;  // bumped for every product
    private static int s_sleepers;    // helpers blocked (or about to block) on s_wake
    private static int s_busy;        // 1 while a caller owns the helpers
    private static int s_helpers;     // helper threads started

    private sealed class Job(GemmArgs args, GemmKernel kernel, int m, int n, bool splitRows, int unit, int units, int tasks, int helpers)
    {
        private int _next, _done, _helpers;

        /// <summary>Lets a helper join unless the thread budget is used up.</summary>
        public bool TryJoin() => Interlocked.Increment(ref _helpers) <= helpers;

        /// <summary>Claims and runs tasks until none is left.</summary>
        public void Work()
        {
            int t;
            while ((t = Interlocked.Increment(ref _next) - 1) < tasks)
            {
                int extent = splitRows ? m : n;
                int start = (int)((long)units * t / tasks) * unit;
                int end = Math.Min(extent, (int)((long)units * (t + 1) / tasks) * unit);
                if (splitRows) GemmBlocking.Run(args, kernel, start, end, 0, n);
                else GemmBlocking.Run(args, kernel, 0, m, start, end);
                Interlocked.Increment(ref _done);
            }
        }

        public bool Finished => Volatile.Read(ref _done) == tasks;
    }

    /// <summary>Computes all of C with at most <paramref name="threads"/> threads.</summary>
    public static void Run(GemmArgs args, GemmKernel kernel, int m, int n, int threads)
    {
        int nr = kernel.NR, mr = GemmBlocking.MR;
        bool splitRows;
        int unit, units, tasks;
        if (n >= m && m <= ColumnTaskMaxRows)
        {
            // Narrow column tasks: each reads A in place and packs only its own B columns, so nothing is
            // packed twice, and many small tasks balance the load when a core is shared with other work.
            // (Past ColumnTaskMaxRows, re-reading A once per task is expected to cost more than packing B once per thread.)
            splitRows = false;
            unit = GemmBlocking.DirectAMaxColumns * nr;
            units = (n + unit - 1) / unit;
            tasks = units;
        }
        else
        {
            // Split the longer side of C (in tiles) into one block per thread.
            splitRows = (m + mr - 1) / mr * mr >= (n + nr - 1) / nr * nr;
            unit = splitRows ? mr : nr;
            units = ((splitRows ? m : n) + unit - 1) / unit;
            tasks = Math.Min(threads, units);
        }
        if (tasks <= 1 || Interlocked.CompareExchange(ref s_busy, 1, 0) != 0)
        {
            GemmBlocking.Run(args, kernel, 0, m, 0, n);
            return;
        }
        try
        {
            int helpers = Math.Min(Math.Min(tasks, threads), Environment.ProcessorCount) - 1;
            EnsureHelpers(helpers);
            var job = new Job(args, kernel, m, n, splitRows, unit, units, tasks, helpers);
            Volatile.Write(ref s_job, job);
            Interlocked.Increment(ref s_generation);
            int sleepers = Volatile.Read(ref s_sleepers);
            if (sleepers > 0) s_wake.Release(sleepers);
            job.Work();
            var spin = new SpinWait();
            while (!job.Finished) spin.SpinOnce(sleep1Threshold: -1);
        }
        finally
        {
            Volatile.Write(ref s_job, null);
            Volatile.Write(ref s_busy, 0);
        }
    }

    private static void EnsureHelpers(int count)
    {
        if (Volatile.Read(ref s_helpers) >= count) return;
        lock (s_startLock)
        {
            while (s_helpers < count)
            {
                new Thread(HelperLoop) { IsBackground = true, Name = $"Gemm helper {s_helpers + 1}" }.Start();
                s_helpers++;
            }
        }
    }

    private static void HelperLoop()
    {
        int seen = Volatile.Read(ref s_generation);
        long spinTicks = Stopwatch.Frequency * SpinMicroseconds / 1_000_000;
        while (true)
        {
            long deadline = Stopwatch.GetTimestamp() + spinTicks;
            while (Volatile.Read(ref s_generation) == seen)
            {
                if (Stopwatch.GetTimestamp() < deadline)
                {
                    Thread.SpinWait(20);
                    continue;
                }
                // Dekker handshake with Run: announce the sleep, then re-check before blocking.
                Interlocked.Increment(ref s_sleepers);
                if (Volatile.Read(ref s_generation) == seen) s_wake.Wait();
                Interlocked.Decrement(ref s_sleepers);
                deadline = Stopwatch.GetTimestamp() + spinTicks;
            }
            seen = Volatile.Read(ref s_generation);
            var job = Volatile.Read(ref s_job);
            if (job is not null && job.TryJoin()) job.Work();
        }
    }
}
