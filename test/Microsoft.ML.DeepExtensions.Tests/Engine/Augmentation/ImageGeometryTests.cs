using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary>
/// <see cref="ImageGeometry"/> on the shipped photos: flips and crops are exact index maps, 90° rotations equal the
/// transposed-and-flipped image, integer translations are exact, and other warps follow the documented bilinear
/// formula.
/// </summary>
[TestClass]
public sealed class ImageGeometryTests
{
    private static float At(float[] image, int h, int w, int c, int y, int x) => image[(c * h + y) * w + x];

    [TestMethod]
    [DataRow("astronaut")]
    [DataRow("chelsea")]
    [DataRow("coffee")]
    [DataRow("rocket")]
    public void FlipsMirrorEveryPixelExactly(string photo)
    {
        var ppm = PpmImage.Photo(photo);
        int h = ppm.Height, w = ppm.Width;
        float[] source = ppm.ToChw(), horizontal = (float[])source.Clone(), vertical = (float[])source.Clone();
        ImageGeometry.FlipHorizontal(horizontal, 3, h, w);
        ImageGeometry.FlipVertical(vertical, 3, h, w);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    if (At(horizontal, h, w, c, y, x) != At(source, h, w, c, y, w - 1 - x)) Assert.Fail($"horizontal flip differs at ({c}, {y}, {x})");
                    if (At(vertical, h, w, c, y, x) != At(source, h, w, c, h - 1 - y, x)) Assert.Fail($"vertical flip differs at ({c}, {y}, {x})");
                }
        horizontal.Should().NotEqual(source, "a photo is not left-right symmetric");
        ImageGeometry.FlipHorizontal(horizontal, 3, h, w);
        horizontal.Should().Equal(source, "flipping twice restores the image");
    }

    [TestMethod]
    [DataRow(0, 0)]
    [DataRow(3, -2)]
    [DataRow(-4, 4)]
    [DataRow(-17, 29)]
    [DataRow(400, 0)]
    public void CropCopiesTheWindowAtItsOffsetAndFillsOutside(int top, int left)
    {
        var ppm = PpmImage.Photo("chelsea");
        int h = ppm.Height, w = ppm.Width;
        float[] source = ppm.ToChw(), output = new float[source.Length];
        ImageGeometry.Crop(source, output, 3, h, w, top, left, fill: 0.5f);
        int outside = 0;
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    int sy = y + top, sx = x + left;
                    bool inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    float expected = inside ? At(source, h, w, c, sy, sx) : 0.5f;
                    if (!inside) outside++;
                    if (At(output, h, w, c, y, x) != expected) Assert.Fail($"crop ({top}, {left}) differs at ({c}, {y}, {x})");
                }
        long expectedOutside = 3L * (h * w - Math.Max(0, h - Math.Abs(top)) * Math.Max(0, w - Math.Abs(left)));
        outside.Should().Be((int)expectedOutside);
    }

    [TestMethod]
    [DataRow("astronaut", 512)]
    [DataRow("chelsea", 300)]
    [DataRow("coffee", 301)]
    public void RotationByNinetyDegreesEqualsTheTransposeFlipped(string photo, int size)
    {
        float[] source = PpmImage.Photo(photo).CenterSquare(size);
        float[] ccw = new float[source.Length], cw = new float[source.Length], half = new float[source.Length];
        ImageGeometry.Affine(source, ccw, 3, size, size, 90);
        ImageGeometry.Affine(source, cw, 3, size, size, -90);
        ImageGeometry.Affine(source, half, 3, size, size, 180);
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    // Transpose T[y, x] = in[x, y]; counter-clockwise = T flipped top-bottom, clockwise = T flipped left-right.
                    if (At(ccw, size, size, c, y, x) != At(source, size, size, c, x, size - 1 - y)) Assert.Fail($"+90° differs at ({c}, {y}, {x})");
                    if (At(cw, size, size, c, y, x) != At(source, size, size, c, size - 1 - x, y)) Assert.Fail($"-90° differs at ({c}, {y}, {x})");
                    if (At(half, size, size, c, y, x) != At(source, size, size, c, size - 1 - y, size - 1 - x)) Assert.Fail($"180° differs at ({c}, {y}, {x})");
                }
    }

    [TestMethod]
    public void IntegerTranslationEqualsTheCropAtTheOppositeOffset()
    {
        var ppm = PpmImage.Photo("rocket");
        int h = ppm.Height, w = ppm.Width;
        float[] source = ppm.ToChw(), warped = new float[source.Length], cropped = new float[source.Length];
        ImageGeometry.Affine(source, warped, 3, h, w, angleDegrees: 0, scale: 1, translateX: 5, translateY: -3);
        ImageGeometry.Crop(source, cropped, 3, h, w, top: 3, left: -5);
        warped.Should().Equal(cropped);
        ImageGeometry.Affine(source, warped, 3, h, w, 0);
        warped.Should().Equal(source, "the identity warp copies the image");
    }

    [TestMethod]
    public void RotationAndScaleSampleBilinearlyAboutTheCentre()
    {
        var ppm = PpmImage.Photo("coffee");
        int h = ppm.Height, w = ppm.Width;
        float[] source = ppm.ToChw(), output = new float[source.Length];
        const double angle = 37, scale = 1.3, tx = 4, ty = -7;
        ImageGeometry.Affine(source, output, 3, h, w, angle, scale, tx, ty);
        double t = angle * Math.PI / 180, cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;
        var rng = new Rng(5);
        int inside = 0;
        for (int k = 0; k < 2000; k++)
        {
            int y = rng.NextInt(h), x = rng.NextInt(w), c = rng.NextInt(3);
            // Inverse of p' = s·R(θ)(p − c) + c + t.
            double u = x - cx - tx, v = y - cy - ty;
            double sx = (Math.Cos(t) * u - Math.Sin(t) * v) / scale + cx, sy = (Math.Sin(t) * u + Math.Cos(t) * v) / scale + cy;
            int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
            double fx = sx - x0, fy = sy - y0;
            double P(int yy, int xx) => yy >= 0 && yy < h && xx >= 0 && xx < w ? At(source, h, w, c, yy, xx) : 0;
            double expected = (1 - fy) * ((1 - fx) * P(y0, x0) + fx * P(y0, x0 + 1)) + fy * ((1 - fx) * P(y0 + 1, x0) + fx * P(y0 + 1, x0 + 1));
            if (sx >= 0 && sx <= w - 1 && sy >= 0 && sy <= h - 1) inside++;
            At(output, h, w, c, y, x).Should().BeApproximately((float)expected, 2e-6f, $"pixel ({c}, {y}, {x})");
        }
        inside.Should().BeGreaterThan(1000, "most samples fall inside the photo");
        At(output, h, w, 0, 0, 0).Should().Be(0f, "the rotated corner lies outside the source: fill");
    }

    [TestMethod]
    public void ResizedCropUpscalesWithHalfPixelCentresAsPyTorch()
    {
        // torch.nn.functional.interpolate([[0, 1], [2, 3]], size=(4, 4), mode="bilinear", align_corners=False)
        float[] expected =
        [
            0.00f, 0.25f, 0.75f, 1.00f,
            0.50f, 0.75f, 1.25f, 1.50f,
            1.50f, 1.75f, 2.25f, 2.50f,
            2.00f, 2.25f, 2.75f, 3.00f,
        ];
        float[] source = [9, 9, 9, 9, 0, 1, 9, 9, 2, 3, 9, 9]; // a 3×4 image whose box (1, 0, 2, 2) is [[0, 1], [2, 3]]
        var output = new float[16];
        ImageGeometry.ResizedCrop(source, 1, 3, 4, top: 1, left: 0, cropHeight: 2, cropWidth: 2, output, 4, 4);
        output.Should().Equal(expected);
    }

    [TestMethod]
    public void ResizedCropOfTheWholeImageAtItsSizeIsTheIdentity()
    {
        var ppm = PpmImage.Photo("chelsea");
        float[] source = ppm.ToChw(), output = new float[source.Length];
        ImageGeometry.ResizedCrop(source, 3, ppm.Height, ppm.Width, 0, 0, ppm.Height, ppm.Width, output, ppm.Height, ppm.Width);
        output.Should().Equal(source);
        var act = () => ImageGeometry.ResizedCrop(source, 3, ppm.Height, ppm.Width, 1, 0, ppm.Height, ppm.Width, output, ppm.Height, ppm.Width);
        act.Should().Throw<ArgumentException>().WithMessage("*not inside*");
    }
}
