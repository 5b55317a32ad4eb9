using System.Runtime.Intrinsics;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// A micro-kernel of <see cref="GemmMicroKernels"/> together with its tile width NR
/// (two vectors): 32 for Vector512, 16 for Vector256, 8 for Vector128.
/// </summary>
internal readonly unsafe struct GemmKernel
{
    private GemmKernel(int vectorBits)
    {
        VectorBits = vectorBits;
        NR = 2 * vectorBits / 32;
        Function = vectorBits switch
        {
            512 => &GemmMicroKernels.Kernel512,
            256 => &GemmMicroKernels.Kernel256,
            _ => &GemmMicroKernels.Kernel128,
        };
        HalfFunction = vectorBits switch
        {
            512 => &GemmMicroKernels.Kernel512Half,
            256 => &GemmMicroKernels.Kernel256Half,
            _ => &GemmMicroKernels.Kernel128Half,
        };
    }

    /// <summary>The widest kernel the hardware accelerates.</summary>
    public static readonly GemmKernel Default = new(
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128);

    /// <summary>Vector width in bits (512, 256 or 128).</summary>
    public int VectorBits { get; }

    /// <summary>Columns of a micro-tile.</summary>
    public int NR { get; }

    /// <summary><c>(kc, a, rsA, csA, mr, packedB, c, ldc, alpha, beta)</c>: one MR×NR tile (see <see cref="GemmMicroKernels"/>).</summary>
    public delegate*<int, float*, nint, nint, int, float*, float*, int, float, float, void> Function { get; }

    /// <summary>Same as <see cref="Function"/> for an <c>MR×(NR/2)</c> tile.</summary>
    public delegate*<int, float*, nint, nint, int, float*, float*, int, float, float, void> HalfFunction { get; }

    /// <summary>The kernel for <paramref name="vectorBits"/> (for tests of the narrower paths).</summary>
    /// <exception cref="NotSupportedException">That width is not hardware-accelerated here.</exception>
    public static GemmKernel ForWidth(int vectorBits)
    {
        bool ok = vectorBits switch
        {
            512 => Vector512.IsHardwareAccelerated,
            256 => Vector256.IsHardwareAccelerated,
            128 => true,
            _ => false,
        };
        if (!ok) throw new NotSupportedException($"No accelerated {vectorBits}-bit GEMM kernel on this machine.");
        return new GemmKernel(vectorBits);
    }
}
