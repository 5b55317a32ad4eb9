using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine;

/// <summary>The test-side IDX reader (MNIST format) used by image tests.</summary>
[TestClass]
public sealed class IdxFileTests
{
    [TestMethod]
    public void ParsesTheBigEndianHeaderAndTheValues()
    {
        // 2 images of 2×3: magic 0x00000803, dims 2, 2, 3 (big-endian), then 12 bytes.
        byte[] bytes = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255];
        var idx = IdxFile.Parse(bytes);
        idx.Shape.Should().Equal(2, 2, 3);
        idx.Values.Should().Equal(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 255);
        IdxFile.ToUnitFloats(idx)[^1].Should().Be(1f);
    }

    [TestMethod]
    public void RejectsOtherTypesAndTruncatedFiles()
    {
        var floats = () => IdxFile.Parse([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
        floats.Should().Throw<InvalidDataException>().WithMessage("*unsigned bytes*");
        var truncated = () => IdxFile.Parse([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
        truncated.Should().Throw<InvalidDataException>().WithMessage("*holds 2 values*announces 5*");
    }
}
