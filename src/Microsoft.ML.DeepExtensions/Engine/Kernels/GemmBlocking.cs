using System.Runtime.CompilerServices;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// The cache-blocked loop nest of <see cref="Gemm"/> (Goto &amp; van de Geijn, "Anatomy of
/// high-performance matrix multiplication", TOMS 2008): over NC-wide column blocks of C, KC-deep
/// slices of k (a packed <c>KC×NC</c> block of <c>op(B)</c>), MC-tall row blocks (a packed
/// <c>MC×KC</c> block of <c>op(A)</c>), then NR-wide B micro-panels (kept in L1) and MR-tall A
/// micro-panels, one register-blocked micro-kernel call per <c>MR×NR</c> tile.
/// </summary>
/// <remarks>
/// Every element of C is summed over k in the same order (KC slices in increasing k, each one
/// fused multiply-add chain) whatever rectangle of C a call covers, so splitting C into blocks
/// across threads cannot change a single bit of the result.
/// </remarks>
internal static unsafe class GemmBlocking
{
    /// <summary>Rows of a micro-tile.</summary>
    public const int MR = GemmMicroKernels.MR;

    /// <summary>Depth of a k slice: a <c>KC×NR</c> B micro-panel (32 KiB with Vector512) stays in L1.</summary>
    public const int KC = 256;

    /// <summary>Rows of a packed A block (<c>MC×KC</c> floats, 144 KiB, in L2).</summary>
    public const int MC = 144;

    /// <summary>Up to this many B micro-panels per block, the kernels read A in place instead of packing it.</summary>
    public const int DirectAMaxColumns = 4;

    /// <summary>Columns of a packed B block (<c>KC×NC</c> floats, in L2/L3); a multiple of every NR.</summary>
    public const int NC = 2048;

    /// <summary>Computes rows <c>[i0, i1)</c> × columns <c>[j0, j1)</c> of C with the calling thread's workspace.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(in GemmArgs g, GemmKernel micro, int i0, int i1, int j0, int j1)
    {
        int nrW = micro.NR, ncW = NC;
        var kernel = micro.Function;
        var halfKernel = micro.HalfFunction;
        var ws = GemmWorkspace.Current;
        int mcMax = Math.Min(MC, RoundUp(i1 - i0, MR));
        int ncMax = Math.Min(ncW, RoundUp(j1 - j0, nrW));
        int kcMax = Math.Min(KC, g.K);
        ws.Ensure(mcMax * kcMax, ncMax * kcMax);
        float* packedA = ws.PackedA, packedB = ws.PackedB, tile = ws.Tile;

        for (int jc = j0; jc < j1; jc += ncW)
        {
            int nc = Math.Min(ncW, j1 - jc);
            for (int pc = 0; pc < g.K; pc += KC)
            {
                int kc = Math.Min(KC, g.K - pc);
                GemmPacking.PackB(g.TransB, g.B, g.Ldb, pc, jc, kc, nc, nrW, packedB);
                float beta = pc == 0 ? g.Beta : 1f; // later slices accumulate onto C
                for (int ic = i0; ic < i1; ic += MC)
                {
                    int mc = Math.Min(MC, i1 - ic);
                    // A strip is used once per B micro-panel: pack the block unless there are only a few panels.
                    bool packA = nc > DirectAMaxColumns * nrW;
                    if (packA) GemmPacking.PackA(g.TransA, g.A, g.Lda, ic, pc, mc, kc, packedA);
                    for (int jr = 0; jr < nc; jr += nrW)
                    {
                        int nr = Math.Min(nrW, nc - jr);
                        bool half = nr <= nrW / 2; // packed half-width, see GemmPacking.PackB
                        int panelWidth = half ? nrW / 2 : nrW;
                        var function = half ? halfKernel : kernel;
                        float* bp = packedB + (long)jr * kc;
                        float* cp = g.C + (long)ic * g.Ldc + jc + jr;
                        for (int ir = 0; ir < mc; ir += MR, cp += (long)MR * g.Ldc)
                        {
                            int mr = Math.Min(MR, mc - ir);
                            float* ap = packA ? packedA + (long)ir * kc
                                : g.TransA ? g.A + (long)pc * g.Lda + ic + ir
                                : g.A + (long)(ic + ir) * g.Lda + pc;
                            nint rsA = packA || g.TransA ? 1 : g.Lda;
                            nint csA = packA ? MR : g.TransA ? g.Lda : 1;
                            if (mr == MR && nr == panelWidth)
                            {
                                function(kc, ap, rsA, csA, mr, bp, cp, g.Ldc, g.Alpha, beta);
                            }
                            else
                            {
                                function(kc, ap, rsA, csA, mr, bp, tile, panelWidth, 1f, 0f);
                                MergeTile(tile, panelWidth, cp, g.Ldc, mr, nr, g.Alpha, beta);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Writes the top-left <c>mr×nr</c> of an accumulator tile into C with the same arithmetic as
    /// the kernels' vector stores (<c>acc·alpha</c>, or <c>fma(acc, alpha, beta·c)</c>).
    /// </summary>
    private static void MergeTile(float* tile, int ldt, float* c, int ldc, int mr, int nr, float alpha, float beta)
    {
        for (int r = 0; r < mr; r++, tile += ldt, c += ldc)
        {
            if (beta == 0f)
                for (int j = 0; j < nr; j++) c[j] = tile[j] * alpha;
            else
                for (int j = 0; j < nr; j++) c[j] = MathF.FusedMultiplyAdd(tile[j], alpha, c[j] * beta);
        }
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;
}
