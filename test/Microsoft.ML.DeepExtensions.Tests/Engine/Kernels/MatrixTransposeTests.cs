using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Kernels;

[TestClass]
public sealed class MatrixTransposeTests
{
    [TestMethod]
    [DataRow(1, 1)]
    [DataRow(8, 8)]      // one AVX block
    [DataRow(3, 17)]     // no full block of rows
    [DataRow(17, 3)]
    [DataRow(16, 24)]    // blocks only
    [DataRow(19, 29)]    // blocks with both edges
    [DataRow(512, 128)]  // a 4·128-gate recurrent weight
    public void MatchesTheDefinition(int rows, int cols)
    {
        float[] src = Enumerable.Range(0, rows * cols).Select(i => (float)i).ToArray();
        float[] dst = new float[rows * cols];
        MatrixTranspose.Transpose(src, rows, cols, dst);
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++)
                dst[c * rows + r].Should().Be(src[r * cols + c], "element ({0}, {1})", r, c);
    }

    [TestMethod]
    public void ShortBuffersAreRejected()
    {
        var act = () => MatrixTranspose.Transpose(new float[6], 2, 4, new float[8]);
        act.Should().Throw<ArgumentException>().WithMessage("*2×4*");
    }
}
