using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

// The im2col + GEMM path of Conv2d (see the Algorithm remarks on the class): chunks of images, each unrolled into a
// worker's column buffer, multiplied, and scattered back; several chunks run on several threads.
public sealed partial class Conv2d
{
    /// <summary>Most groups of chunks whose weight and bias gradients are summed separately, then added in order.</summary>
    internal const int MaxGradientGroups = 8;

    private ColumnWorker[] _workers = [];
    private float[] _groupWeightGradients = [];
    private double[] _groupBiasSums = [];
    private int _chunk, _chunkCount; // images in the largest chunk, number of chunks

    /// <summary>One thread's scratch: the chunk's columns <c>[C_in·kh·kw, ld]</c> and its channel-major products <c>[C_out, ld]</c>.</summary>
    private sealed class ColumnWorker
    {
        public float[] Columns = [];
        public float[] Rows = [];
    }

    /// <summary>Where one chunk's work happens: the layer, a worker's buffers, the chunk's first image and its column count.</summary>
    private readonly record struct Chunk(Conv2d Layer, ColumnWorker Worker, int First, int Count, int Ld);

    private void ForwardColumns(int n, int plane, int rows)
    {
        int threads = PlanChunks(n, plane, rows);
        if (_chunkCount == 1)
            ForwardChunk(0, n, _workers[0], shared: true);
        else if (_chunkCount > 1)
            BatchParallel.ForTasks(_chunkCount, threads, this, static (self, w, t) =>
            {
                var (first, count) = self.ChunkRange(t);
                self.ForwardChunk(first, count, self._workers[w], shared: false);
            });
    }

    // Unroll, one product per group into the channel-major buffer, scatter (+ bias) to NCHW. A shared chunk (the
    // whole batch) threads inside; otherwise this thread does everything.
    private void ForwardChunk(int first, int count, ColumnWorker worker, bool shared)
    {
        int plane = _geometry.OutputPlane, rows = _geometry.ColumnRows, ld = count * plane;
        int kg = rows / Groups, cg = OutChannels / Groups;
        var chunk = new Chunk(this, worker, first, count, ld);
        ReadOnlySpan<float> w = Weight.Value.Span;
        OverImages(shared, chunk, (long)rows * plane, static (c, b, e) => c.Layer.PackColumns(c, b, e));
        for (int grp = 0; grp < Groups; grp++)
            Multiply(shared, false, false, cg, ld, kg, w[(grp * cg * kg)..], kg,
                worker.Columns.AsSpan(grp * kg * ld), ld, 0f, worker.Rows.AsSpan(grp * cg * ld), ld);
        OverImages(shared, chunk, (long)OutChannels * plane, static (c, b, e) => c.Layer.ScatterOutput(c, b, e));
    }

    private void BackwardColumns(int n, bool needInput)
    {
        int groups = Math.Min(_chunkCount, MaxGradientGroups);
        int weightLength = Weight.Value.Length;
        if (groups > 1) Grow(ref _groupWeightGradients, (long)(groups - 1) * weightLength);
        if (_groupBiasSums.Length < groups * OutChannels) _groupBiasSums = new double[groups * OutChannels];
        Array.Clear(_groupBiasSums, 0, groups * OutChannels);
        int threads = Math.Min(Parallelism.MaxDegreeOfParallelism, groups);
        EnsureWorkers(threads);
        var state = (Layer: this, Groups: groups, NeedInput: needInput);
        if (groups == 1)
            BackwardGroup(0, 1, needInput, _workers[0], shared: true);
        else if (groups > 1)
            BatchParallel.ForTasks(groups, threads, state,
                static (s, w, g) => s.Layer.BackwardGroup(g, s.Groups, s.NeedInput, s.Layer._workers[w], shared: false));

        // Add the groups' sums in group order: the same bits whichever thread computed which group.
        Span<float> dw = Weight.Gradient.Span;
        for (int g = 1; g < groups; g++)
            TensorPrimitives.Add(dw, _groupWeightGradients.AsSpan((g - 1) * weightLength, weightLength), dw);
        for (int g = 0; g < groups; g++)
            for (int c = 0; c < OutChannels; c++)
                _biasSums[c] += _groupBiasSums[g * OutChannels + c];
        _columnsHoldInput = false;
    }

    // The chunks of group g, in order: gather dY, bias sums, columns (kept or recomputed), dW (+)= dY·colᵀ into the
    // group's sum, then dcol = Wᵀ·dY (overwriting the columns) and col2im.
    private void BackwardGroup(int g, int groups, bool needInput, ColumnWorker worker, bool shared)
    {
        int plane = _geometry.OutputPlane, rows = _geometry.ColumnRows;
        int kg = rows / Groups, cg = OutChannels / Groups;
        int weightLength = Weight.Value.Length;
        Span<float> dw = g == 0 ? Weight.Gradient.Span : _groupWeightGradients.AsSpan((g - 1) * weightLength, weightLength);
        Span<double> biasSums = _groupBiasSums.AsSpan(g * OutChannels, OutChannels);
        ReadOnlySpan<float> w = Weight.Value.Span;
        int firstChunk = (int)((long)_chunkCount * g / groups), endChunk = (int)((long)_chunkCount * (g + 1) / groups);
        for (int t = firstChunk; t < endChunk; t++)
        {
            var (first, count) = ChunkRange(t);
            int ld = count * plane;
            var chunk = new Chunk(this, worker, first, count, ld);
            float[] dyRows = worker.Rows, columns = worker.Columns;
            OverImages(shared, chunk, (long)OutChannels * plane, static (c, b, e) => c.Layer.GatherGradient(c, b, e));
            if (Bias is not null)
                for (int c = 0; c < OutChannels; c++)
                    biasSums[c] += TensorPrimitives.Sum(dyRows.AsSpan(c * ld, ld));
            if (!_columnsHoldInput)
            {
                OverImages(shared, chunk, (long)rows * plane, static (c, b, e) => c.Layer.PackColumns(c, b, e));
            }
            for (int grp = 0; grp < Groups; grp++)
                Multiply(shared, false, true, cg, kg, ld, dyRows.AsSpan(grp * cg * ld), ld,
                    columns.AsSpan(grp * kg * ld), ld, t == firstChunk ? 0f : 1f, dw[(grp * cg * kg)..], kg);
            if (!needInput) continue;
            for (int grp = 0; grp < Groups; grp++)
                Multiply(shared, true, false, kg, ld, cg, w[(grp * cg * kg)..], kg,
                    dyRows.AsSpan(grp * cg * ld), ld, 0f, columns.AsSpan(grp * kg * ld), ld);
            OverImages(shared, chunk, (long)rows * plane, static (c, b, e) => c.Layer.UnpackColumns(c, b, e));
        }
    }

    // Chunks (from the batch size, the column budget and the geometry alone: as few as the budget allows, of equal
    // sizes to within one image, so that parallel workers finish together), workers and their buffers; returns the
    // number of threads the chunks run on.
    private int PlanChunks(int n, int plane, int rows)
    {
        long perImage = (long)rows * plane;
        int largest = (int)Math.Clamp(ColumnBudget / perImage, 1, Math.Max(n, 1));
        _chunkCount = (n + largest - 1) / largest;
        _chunk = _chunkCount == 0 ? 1 : (n + _chunkCount - 1) / _chunkCount;
        int threads = Math.Max(1, Math.Min(Parallelism.MaxDegreeOfParallelism, _chunkCount));
        EnsureWorkers(threads);
        return threads;
    }

    // Images [first, first + count) of chunk t: chunk sizes differ by at most one.
    private (int First, int Count) ChunkRange(int t)
    {
        int n = _input!.Dim(0);
        int first = (int)((long)n * t / _chunkCount), end = (int)((long)n * (t + 1) / _chunkCount);
        return (first, end - first);
    }

    private void EnsureWorkers(int count)
    {
        if (_workers.Length < count)
        {
            int old = _workers.Length;
            Array.Resize(ref _workers, count);
            for (int i = old; i < count; i++) _workers[i] = new ColumnWorker();
        }
        long columns = (long)_geometry.ColumnRows * _geometry.OutputPlane * _chunk;
        long products = (long)OutChannels * _geometry.OutputPlane * _chunk;
        for (int i = 0; i < count; i++)
        {
            Grow(ref _workers[i].Columns, columns);
            Grow(ref _workers[i].Rows, products);
        }
    }

    // body(chunk, begin, end) over the chunk's images: split over threads when the chunk is the whole (shared) batch, else
    // on this worker's thread.
    private static void OverImages(bool shared, Chunk chunk, long workPerImage, Action<Chunk, int, int> body)
    {
        if (shared) BatchParallel.For(chunk.Count, workPerImage, chunk, body);
        else body(chunk, 0, chunk.Count);
    }

    private static void Multiply(bool threaded, bool transA, bool transB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (threaded) Gemm.Multiply(transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
        else Gemm.MultiplyOnCallingThread(transA, transB, m, n, k, 1f, a, lda, b, ldb, beta, c, ldc);
    }

    private void PackColumns(in Chunk c, int begin, int end) =>
        Im2Col.Pack(_input!.Span, _geometry, c.First + begin, c.First + end, c.First, c.Worker.Columns, c.Ld);

    private void UnpackColumns(in Chunk c, int begin, int end) =>
        Im2Col.Unpack(c.Worker.Columns, c.Ld, _geometry, c.First + begin, c.First + end, c.First, _inputGradient.Span);

    private void ScatterOutput(in Chunk c, int begin, int end) =>
        ChannelMajor.ToBatch(c.Worker.Rows, c.Ld, OutChannels, _geometry.OutputPlane, Bias is null ? default : Bias.Value.Span,
            c.First + begin, c.First + end, c.First, _output.Span);

    private void GatherGradient(in Chunk c, int begin, int end) =>
        ChannelMajor.FromBatch(_outputGradient!.Span, OutChannels, _geometry.OutputPlane, c.First + begin, c.First + end, c.First, c.Worker.Rows, c.Ld);

    private static void Grow(ref float[] buffer, long length)
    {
        if (length > Array.MaxLength) throw new ArgumentException($"Conv2d needs a buffer of {length} values, more than an array can hold.");
        if (buffer.Length < length) buffer = new float[length];
    }
}
