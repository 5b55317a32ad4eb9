namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// The geometric kernels of image augmentation, on one image in channel-major layout <c>(C, H, W)</c>
/// (torchvision's <c>transforms.functional</c>): flips, a crop at an offset with zero fill, a bilinear resized crop
/// and a bilinear affine warp about the centre. They are deterministic; the random augmentations
/// (<see cref="RandomCrop"/>, <see cref="RandomAffine"/>, ...) draw their parameters and call these.
/// </summary>
/// <remarks>
/// <para>Pixel <c>(y, x)</c> of channel <c>c</c> is <c>image[(c·H + y)·W + x]</c>; <c>y</c> grows downwards.</para>
/// <para><b>Bilinear sampling</b> (as PyTorch's <c>grid_sample</c> with <c>align_corners=False</c> and zero padding):
/// a sample at real coordinates <c>(sy, sx)</c> is <c>Σ w·v</c> over the four pixels around it, with weights
/// <c>(1−fy)(1−fx)</c>, <c>(1−fy)fx</c>, <c>fy(1−fx)</c>, <c>fy·fx</c>, where <c>fy = sy − ⌊sy⌋</c>; a pixel outside the
/// image contributes the fill value. Coordinates within 1e-6 of an integer are rounded to it, so that warps which map
/// pixels onto pixels (90° rotations, integer translations) copy values exactly.</para>
/// </remarks>
public static class ImageGeometry
{
    private const double SnapTolerance = 1e-6;

    /// <summary>Mirrors the image left–right in place: <c>out[c, y, x] = in[c, y, W−1−x]</c>.</summary>
    /// <exception cref="ArgumentException">The span is shorter than <c>C·H·W</c>.</exception>
    public static void FlipHorizontal(Span<float> image, int channels, int height, int width)
    {
        CheckImage(image.Length, channels, height, width, nameof(image));
        for (int row = 0; row < channels * height; row++)
            image.Slice(row * width, width).Reverse();
    }

    /// <summary>Mirrors the image top–bottom in place: <c>out[c, y, x] = in[c, H−1−y, x]</c>.</summary>
    /// <exception cref="ArgumentException">The span is shorter than <c>C·H·W</c>.</exception>
    public static void FlipVertical(Span<float> image, int channels, int height, int width)
    {
        CheckImage(image.Length, channels, height, width, nameof(image));
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * height * width, height * width);
            for (int y = 0, z = height - 1; y < z; y++, z--)
            {
                var a = plane.Slice(y * width, width);
                var b = plane.Slice(z * width, width);
                for (int x = 0; x < width; x++) (a[x], b[x]) = (b[x], a[x]);
            }
        }
    }

    /// <summary>
    /// The <c>H×W</c> window of <paramref name="source"/> whose top-left corner is at (<paramref name="top"/>,
    /// <paramref name="left"/>), pixels outside the source filled with <paramref name="fill"/>:
    /// <c>out[c, y, x] = in[c, y + top, x + left]</c>. Negative offsets read into the padding, as torchvision's
    /// <c>RandomCrop(size=(H, W), padding=p)</c> does with offsets in <c>[−p, p]</c>.
    /// </summary>
    /// <param name="source">The input image <c>(C, H, W)</c>.</param>
    /// <param name="destination">The output image <c>(C, H, W)</c>; must not overlap the source.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="top">Row of the source at the window's first row (any integer).</param>
    /// <param name="left">Column of the source at the window's first column (any integer).</param>
    /// <param name="fill">The value of pixels outside the source. Default 0.</param>
    /// <exception cref="ArgumentException">A span is shorter than <c>C·H·W</c>.</exception>
    public static void Crop(ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width, int top, int left, float fill = 0f)
    {
        CheckImage(source.Length, channels, height, width, nameof(source));
        CheckImage(destination.Length, channels, height, width, nameof(destination));
        int x0 = Math.Clamp(-left, 0, width), x1 = Math.Clamp(width - left, x0, width);
        for (int c = 0; c < channels; c++)
            for (int y = 0; y < height; y++)
            {
                var row = destination.Slice((c * height + y) * width, width);
                int sy = y + top;
                if (sy < 0 || sy >= height || x0 == x1)
                {
                    row.Fill(fill);
                    continue;
                }
                row[..x0].Fill(fill);
                source.Slice((c * height + sy) * width + x0 + left, x1 - x0).CopyTo(row[x0..x1]);
                row[x1..].Fill(fill);
            }
    }

    /// <summary>
    /// Crops the box (<paramref name="top"/>, <paramref name="left"/>, <paramref name="cropHeight"/>,
    /// <paramref name="cropWidth"/>) of <paramref name="source"/> and resizes it bilinearly to
    /// <paramref name="outputHeight"/>×<paramref name="outputWidth"/> (torchvision's <c>resized_crop</c>, without
    /// antialiasing).
    /// </summary>
    /// <remarks>
    /// Half-pixel centres, as PyTorch's <c>interpolate(mode="bilinear", align_corners=False)</c>: output row <c>y</c>
    /// samples crop row <c>max(0, (y + ½)·cropHeight/outputHeight − ½)</c>, and neighbours past the crop's last row or
    /// column repeat it.
    /// </remarks>
    /// <exception cref="ArgumentException">The box is not inside the image, or a span is too short.</exception>
    public static void ResizedCrop(ReadOnlySpan<float> source, int channels, int height, int width,
        int top, int left, int cropHeight, int cropWidth, Span<float> destination, int outputHeight, int outputWidth)
    {
        CheckImage(source.Length, channels, height, width, nameof(source));
        CheckImage(destination.Length, channels, outputHeight, outputWidth, nameof(destination));
        if (cropHeight < 1 || cropWidth < 1 || top < 0 || left < 0 || top + cropHeight > height || left + cropWidth > width)
            throw new ArgumentException($"The crop box (top {top}, left {left}, {cropHeight}×{cropWidth}) is not inside the {height}×{width} image.");
        double sh = (double)cropHeight / outputHeight, sw = (double)cropWidth / outputWidth;
        for (int y = 0; y < outputHeight; y++)
        {
            double sy = Math.Max(0, (y + 0.5) * sh - 0.5);
            int y0 = Math.Min((int)sy, cropHeight - 1), y1 = Math.Min(y0 + 1, cropHeight - 1);
            double fy = sy - y0;
            for (int x = 0; x < outputWidth; x++)
            {
                double sx = Math.Max(0, (x + 0.5) * sw - 0.5);
                int x0 = Math.Min((int)sx, cropWidth - 1), x1 = Math.Min(x0 + 1, cropWidth - 1);
                double fx = sx - x0;
                for (int c = 0; c < channels; c++)
                {
                    int plane = c * height * width, r0 = plane + (top + y0) * width + left, r1 = plane + (top + y1) * width + left;
                    double v = (1 - fy) * ((1 - fx) * source[r0 + x0] + fx * source[r0 + x1])
                             + fy * ((1 - fx) * source[r1 + x0] + fx * source[r1 + x1]);
                    destination[(c * outputHeight + y) * outputWidth + x] = (float)v;
                }
            }
        }
    }

    /// <summary>
    /// Warps the image by a rotation, an isotropic scale and a translation about its centre, with bilinear sampling
    /// and <paramref name="fill"/> outside (torchvision's <c>affine</c> without shear).
    /// </summary>
    /// <remarks>
    /// With centre <c>(cx, cy) = ((W−1)/2, (H−1)/2)</c>, a source point <c>p</c> moves to
    /// <c>p' = s·R(θ)·(p − c) + c + t</c>, where <c>R(θ) = [[cos θ, sin θ], [−sin θ, cos θ]]</c> in (x, y) pixel
    /// coordinates with y downwards, so a positive angle turns the picture counter-clockwise as torchvision does.
    /// Each output pixel <c>p'</c> samples the source at <c>p = R(−θ)·(p' − c − t)/s + c</c>. A 90° rotation of a square
    /// image is therefore exactly <c>out[y, x] = in[x, W−1−y]</c> (the transpose flipped top–bottom).
    /// </remarks>
    /// <param name="source">The input image <c>(C, H, W)</c>.</param>
    /// <param name="destination">The output image <c>(C, H, W)</c>; must not overlap the source.</param>
    /// <param name="channels">C.</param>
    /// <param name="height">H.</param>
    /// <param name="width">W.</param>
    /// <param name="angleDegrees">θ in degrees, counter-clockwise.</param>
    /// <param name="scale">s, &gt; 0 (2 zooms in).</param>
    /// <param name="translateX">t_x in pixels (positive moves the picture right).</param>
    /// <param name="translateY">t_y in pixels (positive moves the picture down).</param>
    /// <param name="fill">The value outside the source. Default 0.</param>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="scale"/> is not finite and &gt; 0.</exception>
    public static void Affine(ReadOnlySpan<float> source, Span<float> destination, int channels, int height, int width,
        double angleDegrees, double scale = 1, double translateX = 0, double translateY = 0, float fill = 0f)
    {
        CheckImage(source.Length, channels, height, width, nameof(source));
        CheckImage(destination.Length, channels, height, width, nameof(destination));
        if (!(scale > 0 && double.IsFinite(scale))) throw new ArgumentOutOfRangeException(nameof(scale), scale, "The scale must be finite and > 0.");
        double theta = angleDegrees * Math.PI / 180, cos = Math.Cos(theta) / scale, sin = Math.Sin(theta) / scale;
        double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0;
        int plane = height * width;
        for (int y = 0; y < height; y++)
        {
            double dy = y - cy - translateY;
            for (int x = 0; x < width; x++)
            {
                double dx = x - cx - translateX;
                // p = R(-θ)(p' - c - t)/s + c with R(-θ) = [[cos, -sin], [sin, cos]].
                double sx = Snap(cos * dx - sin * dy + cx), sy = Snap(sin * dx + cos * dy + cy);
                int o = y * width + x;
                if (!(sx > -1 && sx < width && sy > -1 && sy < height))
                {
                    for (int c = 0; c < channels; c++) destination[c * plane + o] = fill;
                    continue;
                }
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                bool inX0 = x0 >= 0, inX1 = x0 + 1 < width, inY0 = y0 >= 0, inY1 = y0 + 1 < height;
                double w00 = (1 - fy) * (1 - fx), w01 = (1 - fy) * fx, w10 = fy * (1 - fx), w11 = fy * fx;
                for (int c = 0; c < channels; c++)
                {
                    int b = c * plane + y0 * width + x0;
                    double v = w00 * (inY0 && inX0 ? source[b] : fill)
                             + w01 * (inY0 && inX1 && fx != 0 ? source[b + 1] : fill)
                             + w10 * (inY1 && inX0 && fy != 0 ? source[b + width] : fill)
                             + w11 * (inY1 && inX1 && fx != 0 && fy != 0 ? source[b + width + 1] : fill);
                    destination[c * plane + o] = (float)v;
                }
            }
        }
    }

    private static double Snap(double v)
    {
        double r = Math.Round(v);
        return Math.Abs(v - r) < SnapTolerance ? r : v;
    }

    /// <summary>Throws unless a span of <paramref name="length"/> holds a <c>(C, H, W)</c> image with positive sizes.</summary>
    internal static void CheckImage(int length, int channels, int height, int width, string name)
    {
        if (channels < 1 || height < 1 || width < 1)
            throw new ArgumentException($"Image dimensions must be >= 1, got ({channels}, {height}, {width}).", name);
        if (length < (long)channels * height * width)
            throw new ArgumentException($"The span holds {length} values, fewer than C·H·W = {(long)channels * height * width} for ({channels}, {height}, {width}).", name);
    }
}
