using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// One thread's packing buffers for <see cref="Gemm"/>: a packed A block, a packed B block and an
/// edge tile, carved from one pinned, 64-byte aligned array that lives as long as the thread and
/// only grows, so a multiply allocates nothing once a thread has seen its largest block.
/// </summary>
internal sealed unsafe class GemmWorkspace
{
    private const int Alignment = 64; // bytes: one cache line, the width of a Vector512

    [ThreadStatic]
    private static GemmWorkspace? t_current;

    private float[] _storage = [];
    private int _capacityA, _capacityB;

    /// <summary>Packed A block (at least the floats asked for in <see cref="Ensure"/>).</summary>
    public float* PackedA { get; private set; }

    /// <summary>Packed B block.</summary>
    public float* PackedB { get; private set; }

    /// <summary>A scratch tile of <see cref="TileFloats"/> floats for partial micro-tiles.</summary>
    public float* Tile { get; private set; }

    /// <summary>Size of <see cref="Tile"/> in floats (the largest MR·NR).</summary>
    public const int TileFloats = GemmMicroKernels.MR * 32;

    /// <summary>The calling thread's workspace.</summary>
    public static GemmWorkspace Current => t_current ??= new GemmWorkspace();

    /// <summary>Makes the buffers hold at least <paramref name="floatsA"/> and <paramref name="floatsB"/> floats.</summary>
    public void Ensure(int floatsA, int floatsB)
    {
        if (floatsA <= _capacityA && floatsB <= _capacityB) return;
        int capA = Math.Max(RoundUp(floatsA), _capacityA), capB = Math.Max(RoundUp(floatsB), _capacityB);
        const int lineFloats = Alignment / sizeof(float);
        // Pinned (POH) so raw pointers stay valid; collected with the thread's reference.
        _storage = GC.AllocateUninitializedArray<float>(capA + capB + TileFloats + lineFloats, pinned: true);
        float* p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_storage));
        p = (float*)(((nint)p + Alignment - 1) & ~(nint)(Alignment - 1));
        PackedA = p;
        PackedB = p + capA;
        Tile = p + capA + capB;
        _capacityA = capA;
        _capacityB = capB;
    }

    private static int RoundUp(int floats) => (floats + 15) & ~15;
}
