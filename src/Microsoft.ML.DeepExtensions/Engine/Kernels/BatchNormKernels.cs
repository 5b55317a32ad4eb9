using System.Numerics;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Batch-normalization kernels on a row-major <c>(N, C, L)</c> layout: per-channel statistics over the
/// <c>N·L</c> values of each channel, the normalization itself and the backward pass
/// (Ioffe &amp; Szegedy, "Batch Normalization", ICML 2015). <c>L = 1</c> is the <c>(N, C)</c> case;
/// <c>(N, C, H, W)</c> images use <c>L = H·W</c>.
/// </summary>
/// <remarks>
/// Sums are accumulated in float64, in a fixed order (batch row by batch row), so statistics are accurate
/// for large batches and bit-reproducible. Variances are two-pass (mean first, then squared deviations).
/// </remarks>
public static class BatchNormKernels
{
    /// <summary>Per-channel mean and <b>biased</b> variance (divided by <c>N·L</c>) of <paramref name="x"/>.</summary>
    /// <exception cref="ArgumentException">A span is too short for the given dimensions, or <c>N·L</c> is 0.</exception>
    public static void Statistics(ReadOnlySpan<float> x, int n, int c, int l, Span<double> mean, Span<double> variance)
    {
        Check(x.Length, n, c, l, mean.Length, variance.Length);
        long count = (long)n * l;
        if (count == 0) throw new ArgumentException("Batch statistics need at least one value per channel.");
        mean[..c].Clear();
        variance[..c].Clear();
        for (int r = 0; r < n; r++)
        {
            var row = x.Slice(r * c * l, c * l);
            if (l == 1) AddWidened(row, mean);
            else for (int ch = 0; ch < c; ch++) mean[ch] += SumWidened(row.Slice(ch * l, l));
        }
        for (int ch = 0; ch < c; ch++) mean[ch] /= count;
        for (int r = 0; r < n; r++)
        {
            var row = x.Slice(r * c * l, c * l);
            if (l == 1) AddProducts(row, row, mean, variance);
            else for (int ch = 0; ch < c; ch++) variance[ch] += SumProducts(row.Slice(ch * l, l), row.Slice(ch * l, l), mean[ch]);
        }
        for (int ch = 0; ch < c; ch++) variance[ch] /= count;
    }

    /// <summary><c>y = (x - mean[c])·scale[c] + shift[c]</c> for every element of channel <c>c</c> (float32).</summary>
    public static void Normalize(ReadOnlySpan<float> x, Span<float> y, int n, int c, int l,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift)
    {
        Check(x.Length, n, c, l, mean.Length, scale.Length);
        Check(y.Length, n, c, l, shift.Length, c);
        for (int r = 0; r < n; r++)
        {
            int o = r * c * l;
            if (l == 1)
            {
                AffineRow(x.Slice(o, c), default, y.Slice(o, c), mean, scale, default, shift, c);
                continue;
            }
            for (int ch = 0; ch < c; ch++)
                AffinePlane(x.Slice(o + ch * l, l), default, y.Slice(o + ch * l, l), mean[ch], scale[ch], 0f, shift[ch]);
        }
    }

    /// <summary>
    /// Per-channel <c>sumDy[c] = Σ dy</c> and <c>sumDyCentered[c] = Σ dy·(x - mean[c])</c> in float64, the two
    /// reductions of the backward pass (<c>dβ = sumDy</c>, <c>dγ = sumDyCentered / σ</c>).
    /// </summary>
    public static void GradientSums(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, int n, int c, int l,
        ReadOnlySpan<double> mean, Span<double> sumDy, Span<double> sumDyCentered)
    {
        Check(x.Length, n, c, l, mean.Length, sumDy.Length);
        Check(dy.Length, n, c, l, sumDyCentered.Length, c);
        sumDy[..c].Clear();
        sumDyCentered[..c].Clear();
        for (int r = 0; r < n; r++)
        {
            var xr = x.Slice(r * c * l, c * l);
            var gr = dy.Slice(r * c * l, c * l);
            if (l == 1)
            {
                AddWidened(gr, sumDy);
                AddProducts(gr, xr, mean, sumDyCentered);
                continue;
            }
            for (int ch = 0; ch < c; ch++)
            {
                sumDy[ch] += SumWidened(gr.Slice(ch * l, l));
                sumDyCentered[ch] += SumProducts(gr.Slice(ch * l, l), xr.Slice(ch * l, l), mean[ch]);
            }
        }
    }

    /// <summary>
    /// <c>dx = dyScale[c]·dy + centeredScale[c]·(x - mean[c]) + offset[c]</c>, the input gradient of batch
    /// normalization once its per-channel coefficients are known.
    /// </summary>
    public static void InputGradient(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, int n, int c, int l,
        ReadOnlySpan<float> mean, ReadOnlySpan<float> dyScale, ReadOnlySpan<float> centeredScale, ReadOnlySpan<float> offset)
    {
        Check(x.Length, n, c, l, mean.Length, dyScale.Length);
        Check(dy.Length, n, c, l, centeredScale.Length, offset.Length);
        Check(dx.Length, n, c, l, c, c);
        for (int r = 0; r < n; r++)
        {
            int o = r * c * l;
            if (l == 1)
            {
                AffineRow(x.Slice(o, c), dy.Slice(o, c), dx.Slice(o, c), mean, centeredScale, dyScale, offset, c);
                continue;
            }
            for (int ch = 0; ch < c; ch++)
                AffinePlane(x.Slice(o + ch * l, l), dy.Slice(o + ch * l, l), dx.Slice(o + ch * l, l), mean[ch], centeredScale[ch], dyScale[ch], offset[ch]);
        }
    }

    // One channel's L values: out[i] = (x[i] - m)·k + b, or with g: a·g[i] + k·(x[i] - m) + b (the scalar formulas of
    // Normalize and InputGradient, evaluated in the same order so that every width gives the same bits).
    private static void AffinePlane(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> output, float m, float k, float a, float b)
    {
        bool withG = !g.IsEmpty;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mv = new Vector<float>(m);
            var kv = new Vector<float>(k);
            var av = new Vector<float>(a);
            var bv = new Vector<float>(b);
            for (; i <= x.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var xv = new Vector<float>(x[i..]);
                var v = withG ? av * new Vector<float>(g[i..]) + kv * (xv - mv) + bv : (xv - mv) * kv + bv;
                v.CopyTo(output[i..]);
            }
        }
        for (; i < x.Length; i++)
            output[i] = withG ? a * g[i] + k * (x[i] - m) + b : (x[i] - m) * k + b;
    }

    // out[i] = (x[i] - m[i])·k[i] + b[i] (+ a[i]·g[i] when g is given), over one (N, C) row.
    private static void AffineRow(ReadOnlySpan<float> x, ReadOnlySpan<float> g, Span<float> output,
        ReadOnlySpan<float> m, ReadOnlySpan<float> k, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int c)
    {
        bool withG = !g.IsEmpty;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= c - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = (new Vector<float>(x[i..]) - new Vector<float>(m[i..])) * new Vector<float>(k[i..]) + new Vector<float>(b[i..]);
                if (withG) v += new Vector<float>(a[i..]) * new Vector<float>(g[i..]);
                v.CopyTo(output[i..]);
            }
        }
        for (; i < c; i++)
        {
            float v = (x[i] - m[i]) * k[i] + b[i];
            output[i] = withG ? a[i] * g[i] + v : v;
        }
    }

    // acc[i] += v[i] in float64.
    private static void AddWidened(ReadOnlySpan<float> v, Span<double> acc)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int dc = Vector<double>.Count;
            for (; i <= v.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(v[i..]), out var lo, out var hi);
                (new Vector<double>(acc[i..]) + lo).CopyTo(acc[i..]);
                (new Vector<double>(acc[(i + dc)..]) + hi).CopyTo(acc[(i + dc)..]);
            }
        }
        for (; i < v.Length; i++) acc[i] += v[i];
    }

    // acc[i] += u[i]·(x[i] - m[i]) in float64.
    private static void AddProducts(ReadOnlySpan<float> u, ReadOnlySpan<float> x, ReadOnlySpan<double> m, Span<double> acc)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int dc = Vector<double>.Count;
            for (; i <= u.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(u[i..]), out var ulo, out var uhi);
                Vector.Widen(new Vector<float>(x[i..]), out var xlo, out var xhi);
                var alo = new Vector<double>(acc[i..]) + ulo * (xlo - new Vector<double>(m[i..]));
                var ahi = new Vector<double>(acc[(i + dc)..]) + uhi * (xhi - new Vector<double>(m[(i + dc)..]));
                alo.CopyTo(acc[i..]);
                ahi.CopyTo(acc[(i + dc)..]);
            }
        }
        for (; i < u.Length; i++) acc[i] += u[i] * ((double)x[i] - m[i]);
    }

    private static double SumWidened(ReadOnlySpan<float> v)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= v.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(v[i..]), out var lo, out var hi);
                acc += lo + hi;
            }
        }
        double s = Vector.Sum(acc);
        for (; i < v.Length; i++) s += v[i];
        return s;
    }

    // Σ u[i]·(x[i] - m) in float64.
    private static double SumProducts(ReadOnlySpan<float> u, ReadOnlySpan<float> x, double m)
    {
        var acc = Vector<double>.Zero;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mv = new Vector<double>(m);
            for (; i <= u.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(u[i..]), out var ulo, out var uhi);
                Vector.Widen(new Vector<float>(x[i..]), out var xlo, out var xhi);
                acc += ulo * (xlo - mv) + uhi * (xhi - mv);
            }
        }
        double s = Vector.Sum(acc);
        for (; i < u.Length; i++) s += u[i] * ((double)x[i] - m);
        return s;
    }

    private static void Check(int length, int n, int c, int l, int len1, int len2)
    {
        if (n < 0 || c < 1 || l < 1 || length < (long)n * c * l || len1 < c || len2 < c)
            throw new ArgumentException($"Batch-norm kernel buffers too short for (N={n}, C={c}, L={l}).");
    }
}
