using System.Runtime.CompilerServices;

namespace Microsoft.ML.DeepExtensions.Engine;

/// <summary>
/// A dense float32 tensor: a shape and a contiguous, row-major (C-order) buffer.
/// </summary>
/// <remarks>
/// <para>
/// <b>Layout.</b> Element <c>(i0, i1, ..., ik)</c> lives at flat index
/// <c>((i0 * d1 + i1) * d2 + ...) * dk + ik</c>. Batched tensors put the batch dimension first:
/// <c>(N, features)</c> for dense data, <c>(N, C, H, W)</c> for images.
/// </para>
/// <para>
/// <b>Ownership.</b> A tensor owns its backing array. The array may be longer than
/// <see cref="Length"/> (its capacity), so that <see cref="Resize(ReadOnlySpan{int})"/> can change the
/// batch size without allocating: layers keep their output and gradient tensors across steps and
/// resize them, which keeps the training loop free of per-step garbage. A tensor returned by a layer's
/// <c>Forward</c> or <c>Backward</c> belongs to that layer and is overwritten by its next call; copy it
/// (<see cref="Clone"/>) to keep it.
/// </para>
/// </remarks>
public sealed class Tensor
{
    private float[] _data;
    private int[] _shape;
    private int _length;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    /// <param name="shape">The dimensions, outermost first. Every dimension must be ≥ 0.</param>
    /// <exception cref="ArgumentException">A dimension is negative, or the element count overflows.</exception>
    public Tensor(params ReadOnlySpan<int> shape)
    {
        _shape = shape.ToArray();
        _length = CheckedLength(shape);
        _data = _length == 0 ? [] : new float[_length];
    }

    /// <summary>Wraps an existing array (no copy) with the given shape.</summary>
    /// <param name="data">The backing array; its length must be at least the element count of <paramref name="shape"/>.</param>
    /// <param name="shape">The dimensions, outermost first.</param>
    /// <exception cref="ArgumentException"><paramref name="data"/> is shorter than the shape requires.</exception>
    public Tensor(float[] data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        int length = CheckedLength(shape);
        if (data.Length < length)
            throw new ArgumentException($"The array holds {data.Length} values but shape [{string.Join(", ", shape.ToArray())}] needs {length}.", nameof(data));
        _data = data;
        _shape = shape.ToArray();
        _length = length;
    }

    /// <summary>The dimensions, outermost first. Do not modify the returned array.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The number of dimensions.</summary>
    public int Rank => _shape.Length;

    /// <summary>The number of elements (product of the dimensions).</summary>
    public int Length => _length;

    /// <summary>The backing array. It may be longer than <see cref="Length"/>; only the first <see cref="Length"/> values belong to the tensor.</summary>
    public float[] Data => _data;

    /// <summary>The tensor's elements, in row-major order.</summary>
    public Span<float> Span
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _data.AsSpan(0, _length);
    }

    /// <summary>Dimension <paramref name="axis"/> of the shape (negative values count from the end).</summary>
    public int Dim(int axis) => _shape[axis < 0 ? _shape.Length + axis : axis];

    /// <summary>The first dimension (the batch size for batched tensors), or 1 for a scalar.</summary>
    public int BatchSize => _shape.Length == 0 ? 1 : _shape[0];

    /// <summary>The number of elements per batch row: <see cref="Length"/> / <see cref="BatchSize"/>.</summary>
    public int RowLength => _shape.Length == 0 ? 1 : (_shape[0] == 0 ? ProductFrom(1) : _length / _shape[0]);

    /// <summary>Gets or sets the element at a flat (row-major) index.</summary>
    public float this[int index]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => _data[(uint)index < (uint)_length ? index : ThrowIndex(index)];
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        set => _data[(uint)index < (uint)_length ? index : ThrowIndex(index)] = value;
    }

    /// <summary>Gets or sets the element at row <paramref name="i"/>, column <paramref name="j"/> of a rank-2 tensor.</summary>
    public float this[int i, int j]
    {
        get => this[i * _shape[1] + j];
        set => this[i * _shape[1] + j] = value;
    }

    /// <summary>
    /// Changes the shape, keeping the backing array when it is large enough (contents are then
    /// unspecified: callers overwrite them). Allocates only when the new shape needs more capacity
    /// or a different rank.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is negative.</exception>
    public void Resize(params ReadOnlySpan<int> shape)
    {
        int length = CheckedLength(shape);
        if (length > _data.Length)
            _data = new float[length];
        if (_shape.Length != shape.Length)
            _shape = new int[shape.Length];
        shape.CopyTo(_shape);
        _length = length;
    }

    /// <summary>Resizes to <c>(batch, ...rest)</c>: the given batch size followed by <paramref name="rowShape"/>.</summary>
    public void ResizeBatch(int batch, ReadOnlySpan<int> rowShape)
    {
        if (batch < 0) throw new ArgumentException($"Batch size must be >= 0, got {batch}.", nameof(batch));
        int row = CheckedLength(rowShape);
        long length = (long)batch * row;
        if (length > int.MaxValue) throw new ArgumentException("The tensor would hold more than 2^31-1 elements.");
        if (length > _data.Length)
            _data = new float[length];
        if (_shape.Length != rowShape.Length + 1)
            _shape = new int[rowShape.Length + 1];
        _shape[0] = batch;
        rowShape.CopyTo(_shape.AsSpan(1));
        _length = (int)length;
    }

    /// <summary>Reinterprets the same elements with another shape of equal element count (no copy).</summary>
    /// <exception cref="ArgumentException">The element counts differ.</exception>
    public void Reshape(params ReadOnlySpan<int> shape)
    {
        int length = CheckedLength(shape);
        if (length != _length)
            throw new ArgumentException($"Cannot reshape {ShapeString()} ({_length} values) to [{string.Join(", ", shape.ToArray())}] ({length} values).");
        if (_shape.Length != shape.Length)
            _shape = new int[shape.Length];
        shape.CopyTo(_shape);
    }

    /// <summary>Sets every element to zero.</summary>
    public void Clear() => Span.Clear();

    /// <summary>Sets every element to <paramref name="value"/>.</summary>
    public void Fill(float value) => Span.Fill(value);

    /// <summary>Resizes this tensor to the shape of <paramref name="source"/> and copies its elements.</summary>
    public void CopyFrom(Tensor source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Resize(source.Shape);
        source.Span.CopyTo(Span);
    }

    /// <summary>A deep copy with an exactly sized backing array.</summary>
    public Tensor Clone()
    {
        var t = new Tensor(_shape);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>True when every element is finite (no NaN, no infinity).</summary>
    public bool IsFinite() => Kernels.ElementwiseKernels.AllFinite(Span);

    /// <summary>The shape as text, e.g. <c>[32, 1, 28, 28]</c>.</summary>
    public string ShapeString() => "[" + string.Join(", ", _shape) + "]";

    /// <inheritdoc />
    public override string ToString() => $"Tensor{ShapeString()}";

    /// <summary>True when the two shapes are equal.</summary>
    public static bool SameShape(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    private int ProductFrom(int axis)
    {
        int p = 1;
        for (int i = axis; i < _shape.Length; i++) p *= _shape[i];
        return p;
    }

    private static int CheckedLength(ReadOnlySpan<int> shape)
    {
        long length = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Tensor dimensions must be >= 0, got [{string.Join(", ", shape.ToArray())}].");
            length *= d;
            if (length > int.MaxValue) throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds more than 2^31-1 elements.");
        }
        return (int)length;
    }

    private int ThrowIndex(int index) =>
        throw new IndexOutOfRangeException($"Index {index} is outside a tensor of {_length} elements {ShapeString()}.");
}
