using System.Numerics.Tensors;

namespace Microsoft.ML.DeepExtensions.Engine.Kernels;

/// <summary>
/// Softmax and log-softmax over consecutive rows of length <c>rowLength</c> (the last dimension of a
/// row-major tensor), and their derivatives.
/// </summary>
/// <remarks>
/// Both subtract the row maximum before exponentiating, so no input overflows:
/// <c>softmax(x)ᵢ = e^(xᵢ - m) / Σⱼ e^(xⱼ - m)</c> and
/// <c>log_softmax(x)ᵢ = xᵢ - m - log Σⱼ e^(xⱼ - m)</c>, <c>m = maxⱼ xⱼ</c>.
/// Rows are processed one after another with a fixed summation order, so results do not depend on the
/// thread count.
/// </remarks>
public static class SoftmaxKernels
{
    /// <summary>Writes the softmax of each row of <paramref name="x"/> into <paramref name="y"/> (may alias <paramref name="x"/>).</summary>
    /// <exception cref="ArgumentException">The lengths differ or are not a multiple of <paramref name="rowLength"/>.</exception>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y, int rowLength)
    {
        int rows = CheckRows(x.Length, y.Length, rowLength);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * rowLength, rowLength);
            var yr = y.Slice(r * rowLength, rowLength);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            float sum = TensorPrimitives.Sum(yr);
            TensorPrimitives.Divide(yr, sum, yr);
        }
    }

    /// <summary>Softmax derivative from the output: <c>dxᵢ = yᵢ · (dyᵢ - Σⱼ dyⱼ yⱼ)</c> per row.</summary>
    public static void SoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rowLength)
    {
        int rows = CheckRows(y.Length, dy.Length, rowLength);
        CheckRows(y.Length, dx.Length, rowLength);
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * rowLength, rowLength);
            var gr = dy.Slice(r * rowLength, rowLength);
            var dr = dx.Slice(r * rowLength, rowLength);
            float dot = TensorPrimitives.Dot(gr, yr);
            TensorPrimitives.Subtract(gr, dot, dr);
            TensorPrimitives.Multiply(dr, yr, dr);
        }
    }

    /// <summary>Writes the log-softmax of each row of <paramref name="x"/> into <paramref name="y"/> (must not overlap <paramref name="x"/>).</summary>
    /// <exception cref="ArgumentException">The lengths differ or are not a multiple of <paramref name="rowLength"/>.</exception>
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y, int rowLength)
    {
        int rows = CheckRows(x.Length, y.Length, rowLength);
        for (int r = 0; r < rows; r++)
        {
            var xr = x.Slice(r * rowLength, rowLength);
            var yr = y.Slice(r * rowLength, rowLength);
            float max = TensorPrimitives.Max(xr);
            TensorPrimitives.Subtract(xr, max, yr);
            TensorPrimitives.Exp(yr, yr);
            float logSum = (float)Math.Log(TensorPrimitives.Sum(yr));
            TensorPrimitives.Subtract(xr, max, yr);   // (x - m) is exact near the maximum; subtract log Σ after
            TensorPrimitives.Subtract(yr, logSum, yr);
        }
    }

    /// <summary>Log-softmax derivative from the output: <c>dxᵢ = dyᵢ - e^(yᵢ) · Σⱼ dyⱼ</c> per row (<paramref name="dx"/> must not overlap <paramref name="dy"/>).</summary>
    public static void LogSoftmaxBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx, int rowLength)
    {
        int rows = CheckRows(y.Length, dy.Length, rowLength);
        CheckRows(y.Length, dx.Length, rowLength);
        for (int r = 0; r < rows; r++)
        {
            var yr = y.Slice(r * rowLength, rowLength);
            var gr = dy.Slice(r * rowLength, rowLength);
            var dr = dx.Slice(r * rowLength, rowLength);
            float sum = TensorPrimitives.Sum(gr);
            TensorPrimitives.Exp(yr, dr);
            TensorPrimitives.MultiplyAdd(dr, -sum, gr, dr);
        }
    }

    private static int CheckRows(int length, int otherLength, int rowLength)
    {
        if (rowLength <= 0 || length != otherLength || length % rowLength != 0)
            throw new ArgumentException($"Softmax kernels need equal lengths that are a multiple of the row length; got {length} and {otherLength} with row length {rowLength}.");
        return length / rowLength;
    }
}
