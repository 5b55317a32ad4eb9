using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Transforms;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>
/// Per-channel statistics on image vectors (3, 14, 14) made of real MNIST digits: the channel count comes from the
/// column's dimensions (as ExtractPixels declares them) or from the options; fitted statistics equal a float64
/// reference; given statistics (ImageNet) apply per channel; the output keeps the dimensions.
/// </summary>
[TestClass]
public sealed class NormalizerPerChannelTests
{
    private const int Plane = 14 * 14;

    private static (double Mean, double Std, double Min, double Max) ChannelReference(float[][] images, int c)
    {
        var values = images.SelectMany(x => x.Skip(c * Plane).Take(Plane)).Select(v => (double)v).ToArray();
        double mean = values.Average();
        return (mean, Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length), values.Min(), values.Max());
    }

    [TestMethod]
    public void FittedChannelStatisticsEqualTheFloat64Reference()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(300);
        var data = ImageView(ml, images, labels);
        using var model = ml.Transforms.Standardize("Image", scope: NormalizationScope.PerChannel).Fit(data);
        model.FeatureCount.Should().Be(3);
        model.ValueCount.Should().Be(300L * Plane);
        for (int c = 0; c < 3; c++)
        {
            var (mean, std, _, _) = ChannelReference(images, c);
            Close(model.Mean[c], mean, 1e-6, 1e-12, $"mean of channel {c}");
            Close(model.StandardDeviation[c], std, 1e-6, 1e-12, $"standard deviation of channel {c}");
        }
        model.Mean[2].Should().BeLessThan(model.Mean[1], "precondition: the channels have different statistics");

        var output = Column(model.Transform(data), "Image");
        for (int c = 0; c < 3; c++)
        {
            var plane = output.SelectMany(x => x.Skip(c * Plane).Take(Plane)).Select(v => (double)v).ToArray();
            plane.Average().Should().BeApproximately(0, 1e-5, $"channel {c} is centred");
            Math.Sqrt(plane.Select(v => v * v).Average()).Should().BeApproximately(1, 1e-4, $"channel {c} has unit variance");
        }
    }

    [TestMethod]
    public void OutputKeepsTheImageDimensions()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(20);
        var data = ImageView(ml, images, labels);
        using var model = ml.Transforms.ScaleMinMax("Image", scope: NormalizationScope.PerChannel).Fit(data);
        var type = (VectorDataViewType)model.Transform(data).Schema["Image"].Type;
        type.Dimensions.ToArray().Should().Equal([3, 14, 14]);
        type.Should().Be(data.Schema["Image"].Type);
    }

    [TestMethod]
    public void MinMaxPerChannelUsesEachChannelsRange()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(100);
        var data = ImageView(ml, images, labels);
        using var model = ml.Transforms.ScaleMinMax("Image", lowerBound: -1, upperBound: 1, scope: NormalizationScope.PerChannel).Fit(data);
        var output = Column(model.Transform(data), "Image");
        for (int c = 0; c < 3; c++)
        {
            var (_, _, min, max) = ChannelReference(images, c);
            model.Minimum[c].Should().Be(min);
            model.Maximum[c].Should().Be(max);
            var plane = output.SelectMany(x => x.Skip(c * Plane).Take(Plane)).ToArray();
            plane.Min().Should().BeApproximately(-1f, 1e-6f);
            plane.Max().Should().BeApproximately(1f, 1e-6f);
        }
        model.Minimum[2].Should().BeLessThan(0, "precondition: channel 2 spans [-1, 3]");
    }

    [TestMethod]
    public void GivenImageNetStatisticsApplyPerChannel()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(5);
        var data = ImageView(ml, images, labels);
        using var model = ml.Transforms.Standardize("Image", "Image", ImageNetStatistics.Mean, ImageNetStatistics.StandardDeviation, NormalizationScope.PerChannel).Fit(data);
        var output = Column(model.Transform(data), "Image");
        float[] mean = ImageNetStatistics.Mean, std = ImageNetStatistics.StandardDeviation;
        for (int i = 0; i < images.Length; i++)
            for (int p = 0; p < 3 * Plane; p++)
                Close(output[i][p], (images[i][p] - mean[p / Plane]) / std[p / Plane], 1e-6, 1e-6, $"image {i}, value {p}");

        ml.Transforms.Standardize("Image", "Image", ImageNetStatistics.Mean, ImageNetStatistics.StandardDeviation).Invoking(e => e.Fit(data))
            .Should().Throw<ArgumentException>().WithMessage("*3 mean values*588 slots*NormalizationScope.PerChannel*");
    }

    [TestMethod]
    public void ChannelCountComesFromTheOptionsForPlainVectors()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(50);
        var plain = ImageView(ml, images, labels, declareDimensions: false);
        ml.Transforms.Standardize("Image", scope: NormalizationScope.PerChannel).Invoking(e => e.Fit(plain))
            .Should().Throw<ArgumentException>().WithMessage("*channel count of column 'Image'*ChannelCount*ExtractPixels*");
        using var fromOptions = ml.Transforms.Standardize(new StandardizingEstimator.Options { OutputColumnName = "Image", Scope = NormalizationScope.PerChannel, ChannelCount = 3 }).Fit(plain);
        using var fromDimensions = ml.Transforms.Standardize("Image", scope: NormalizationScope.PerChannel).Fit(ImageView(ml, images, labels));
        fromOptions.Mean.Should().Equal(fromDimensions.Mean);
        fromOptions.StandardDeviation.Should().Equal(fromDimensions.StandardDeviation);
        ml.Transforms.Standardize(new StandardizingEstimator.Options { OutputColumnName = "Image", Scope = NormalizationScope.PerChannel, ChannelCount = 5 })
            .Invoking(e => e.Fit(plain)).Should().Throw<ArgumentException>().WithMessage("*588 values*not a whole number of images of 5 channels*");
    }
}
