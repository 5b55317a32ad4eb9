namespace Microsoft.ML.DeepExtensions.Benchmarks.Workloads;

/// <summary>
/// The data, initial weights and shuffle order of the perf-anchor workloads, bit for bit as
/// <c>shared/bench/anchors/anchors_common.py</c> makes them (specification: <c>shared/bench/WORKLOADS.md</c> §1-§4).
/// </summary>
/// <remarks>
/// <para>Every random value is drawn from SplitMix64: <c>splitmix64(seed, i)</c> is output <c>i</c> (0-based) of the
/// generator whose state starts at <c>seed</c>; <c>u24 = (z &gt;&gt; 40)·2^-24</c> in [0, 1), <c>sym = 2·u24 - 1</c> in
/// [-1, 1), <c>uint(m) = (z &gt;&gt; 32) mod m</c>. All float arithmetic is float32 with the anchors' operation order.</para>
/// <para>This file depends on the base library only: the test project compiles it too (linked) and checks the
/// anchors' data checksums.</para>
/// </remarks>
public static class WorkloadData
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    /// <summary>Output <paramref name="index"/> of SplitMix64 seeded with <paramref name="seed"/>.</summary>
    public static ulong SplitMix64(ulong seed, long index)
    {
        unchecked
        {
            ulong z = seed + (ulong)(index + 1) * Golden;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary><c>u24(seed, i) = (z &gt;&gt; 40)·2^-24</c>, exact, in [0, 1).</summary>
    public static float U24(ulong seed, long index) => (SplitMix64(seed, index) >> 40) * (1f / (1 << 24));

    /// <summary><c>sym(seed, i) = 2·u24 - 1</c>, exact, in [-1, 1).</summary>
    public static float Sym(ulong seed, long index) => 2f * U24(seed, index) - 1f;

    /// <summary><c>uint(seed, i, m) = (z &gt;&gt; 32) mod m</c>.</summary>
    public static int UInt(ulong seed, long index, int modulus) => (int)((SplitMix64(seed, index) >> 32) % (ulong)modulus);

    /// <summary>A new array holding <c>sym(seed, 0 .. length-1)</c>.</summary>
    public static float[] SymArray(ulong seed, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = Sym(seed, i);
        return values;
    }

    /// <summary>
    /// W1 / W1s: 50,000 × 64, 10 classes. <c>X[i,j] = sym(1001, i·64+j)</c>; teacher <c>T[j,k] = uint(1002, j·10+k, 7) - 3</c>;
    /// <c>y[i]</c> = first index of the maximum over k of <c>Σ_j X[i,j]·T[j,k]</c> (exact in float64).
    /// </summary>
    public static WorkloadDataset Tabular(int rows = 50_000, int features = 64, int classes = 10)
    {
        var x = SymArray(1001, rows * features);
        var teacher = new double[features * classes];
        for (int i = 0; i < teacher.Length; i++) teacher[i] = UInt(1002, i, 7) - 3;
        var y = new int[rows];
        var logits = new double[classes];
        for (int i = 0; i < rows; i++)
        {
            Array.Clear(logits);
            for (int j = 0; j < features; j++)
            {
                double v = x[i * features + j];
                for (int k = 0; k < classes; k++) logits[k] += v * teacher[j * classes + k];
            }
            int best = 0;
            for (int k = 1; k < classes; k++)
                if (logits[k] > logits[best]) best = k;
            y[i] = best;
        }
        return new WorkloadDataset(x, [features], y, classes);
    }

    /// <summary>W2 (LeNet): 10,000 × 1×28×28 unsigned templates plus noise, 10 classes.</summary>
    public static WorkloadDataset LeNet() => Templates(10_000, [1, 28, 28], 10, 2000, signed: false, period: 0);

    /// <summary>W2w (wide CNN): 5,000 × 3×32×32 tiled (period 4) unsigned templates plus noise, 10 classes.</summary>
    public static WorkloadDataset WideCnn() => Templates(5_000, [3, 32, 32], 10, 3000, signed: false, period: 4);

    /// <summary>W3 / W3g (RNN): 5,000 × 50×32 (time, feature) signed templates plus noise, 10 classes.</summary>
    public static WorkloadDataset Sequences() => Templates(5_000, [50, 32], 10, 4000, signed: true, period: 0);

    /// <summary>
    /// W4 (Transformer): 2,000 × 64 token ids <c>tok[i,t] = uint(5001, i·64+t, 1000)</c> (stored as exact floats);
    /// <c>y[i] = 1</c> when more than 32 of the row's tokens are below 500, else 0.
    /// </summary>
    public static WorkloadDataset Tokens(int rows = 2_000, int length = 64, int vocabulary = 1_000)
    {
        var x = new float[rows * length];
        var y = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int low = 0;
            for (int t = 0; t < length; t++)
            {
                int token = UInt(5001, (long)i * length + t, vocabulary);
                x[i * length + t] = token;
                if (token < vocabulary / 2) low++;
            }
            y[i] = low > length / 2 ? 1 : 0;
        }
        return new WorkloadDataset(x, [length], y, 2);
    }

    /// <summary>
    /// Template data (W2, W2w, W3): <c>y[i] = uint(seed, i, C)</c>; template <c>P[k,p] = s(seed+1, k·D+p)</c> (tiled with
    /// <paramref name="period"/> over H and W when it is not 0); noise <c>U[i,p] = s(seed+2, i·D+p)</c>;
    /// <c>X = 0.25f·P[y] + 0.75f·U</c> in float32; <c>s</c> is <c>sym</c> when <paramref name="signed"/>, else <c>u24</c>.
    /// </summary>
    public static WorkloadDataset Templates(int rows, int[] shape, int classes, ulong seed, bool signed, int period)
    {
        int d = 1;
        foreach (int s in shape) d *= s;
        Func<ulong, long, float> draw = signed ? Sym : U24;
        var y = new int[rows];
        for (int i = 0; i < rows; i++) y[i] = UInt(seed, i, classes);
        var template = new float[classes * d];
        for (int k = 0; k < classes; k++)
        {
            for (int p = 0; p < d; p++)
            {
                long source = k * (long)d + p;
                if (period != 0)
                {
                    int channels = shape[0], h = shape[1], w = shape[2];
                    int c = p / (h * w), row = p / w % h, col = p % w;
                    source = ((k * (long)channels + c) * period + row % period) * period + col % period;
                }
                template[k * d + p] = draw(seed + 1, source);
            }
        }
        var x = new float[rows * d];
        for (int i = 0; i < rows; i++)
            for (int p = 0; p < d; p++)
                x[i * d + p] = 0.25f * template[y[i] * d + p] + 0.75f * draw(seed + 2, (long)i * d + p);
        return new WorkloadDataset(x, shape, y, classes);
    }

    /// <summary>
    /// The shuffle order of training epoch <paramref name="epoch"/> (0-based): the indices sorted ascending by the key
    /// <c>splitmix64(9000 + epoch, i)</c>, ties broken by index (a stable sort).
    /// </summary>
    public static int[] EpochPermutation(int rows, int epoch)
    {
        var keys = new ulong[rows];
        var order = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            keys[i] = SplitMix64(9000 + (ulong)epoch, i);
            order[i] = i;
        }
        Array.Sort(order, (a, b) => keys[a] != keys[b] ? keys[a].CompareTo(keys[b]) : a.CompareTo(b));
        return order;
    }

    /// <summary>
    /// Deterministic initialization of parameter <paramref name="parameterIndex"/> (PyTorch <c>named_parameters</c> order):
    /// <c>w[i] = sym(7000 + idx, i)·(float)bound</c>, the bound computed in float64 and rounded once to float32.
    /// </summary>
    public static void InitUniform(Span<float> values, int parameterIndex, double bound)
    {
        float b = (float)bound;
        for (int i = 0; i < values.Length; i++) values[i] = Sym(7000 + (ulong)parameterIndex, i) * b;
    }

    /// <summary>The checksums <c>anchors_common.checksum</c> prints (WORKLOADS.md §2).</summary>
    public static WorkloadChecksum Checksum(WorkloadDataset data)
    {
        double sum = 0, absSum = 0;
        foreach (float v in data.X)
        {
            sum += v;
            absSum += Math.Abs(v);
        }
        var histogram = new int[data.Classes];
        foreach (int label in data.Y) histogram[label]++;
        return new WorkloadChecksum(sum, absSum, data.X.Take(4).ToArray(), histogram, data.Y.Take(8).ToArray());
    }
}

/// <summary>A workload's data set: features <c>(N, *SampleShape)</c> row-major float32, class ids <c>(N)</c>.</summary>
/// <param name="X">The features, <c>N·prod(SampleShape)</c> values.</param>
/// <param name="SampleShape">The per-sample shape, e.g. <c>[64]</c> or <c>[1, 28, 28]</c>.</param>
/// <param name="Y">The class id of each row.</param>
/// <param name="Classes">The number of classes.</param>
public sealed record WorkloadDataset(float[] X, int[] SampleShape, int[] Y, int Classes)
{
    /// <summary>The number of rows <c>N</c>.</summary>
    public int Rows => Y.Length;

    /// <summary>Values per row.</summary>
    public int RowLength => X.Length / Y.Length;

    /// <summary>The labels as exact floats (the engine's loss targets).</summary>
    public float[] LabelsAsFloats() => Array.ConvertAll(Y, v => (float)v);
}

/// <summary>The anchors' data checksum: float64 sums (sequential here, pairwise in numpy), first values, label histogram.</summary>
/// <param name="XSum">Σ X in float64.</param>
/// <param name="XAbsSum">Σ |X| in float64.</param>
/// <param name="XFirst4">The first four values of X.</param>
/// <param name="YHistogram">Rows per class.</param>
/// <param name="YFirst8">The first eight labels.</param>
public sealed record WorkloadChecksum(double XSum, double XAbsSum, float[] XFirst4, int[] YHistogram, int[] YFirst8);
