using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Transforms;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary><c>mlContext.Transforms.ScaleMinMax</c> per slot: exact minimum and maximum, the target range, given statistics.</summary>
[TestClass]
public sealed class ScaleMinMaxTests
{
    [TestMethod]
    [DataRow(0f, 1f)]
    [DataRow(-1f, 1f)]
    [DataRow(-3f, 5f)]
    public void MapsEachSlotsMinimumAndMaximumOntoTheRange(float a, float b)
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Wine(ml);
        using var model = ml.Transforms.ScaleMinMax("Features", lowerBound: a, upperBound: b).Fit(data);
        var input = CsvFeatures("wine.csv", 13);
        var output = Column(model.Transform(data));
        model.LowerBound.Should().Be(a);
        model.UpperBound.Should().Be(b);
        for (int j = 0; j < 13; j++)
        {
            double min = input.Min(r => (double)r[j]), max = input.Max(r => (double)r[j]);
            model.Minimum[j].Should().Be(min, $"the minimum of slot {j} is exact");
            model.Maximum[j].Should().Be(max, $"the maximum of slot {j} is exact");
            output.Min(r => r[j]).Should().BeApproximately(a, 1e-6f, $"slot {j}'s minimum maps to a");
            output.Max(r => r[j]).Should().BeApproximately(b, 1e-5f * Math.Max(1, Math.Abs(b)), $"slot {j}'s maximum maps to b");
            for (int i = 0; i < input.Length; i++)
                Close(output[i][j], a + (input[i][j] - min) * (b - a) / (max - min), 1e-5, 1e-5, $"row {i}, slot {j}");
        }
    }

    [TestMethod]
    public void GivenMinimumAndMaximumAreUsedAsGiven()
    {
        var ml = new MLContext(seed: 0);
        var data = VectorView(ml, [[0f, 5f], [10f, -5f], [30f, 10f]], 2);
        using var model = ml.Transforms.ScaleMinMax(new MinMaxScalingEstimator.Options
        {
            OutputColumnName = "Features",
            Minimum = [0f, -10f],
            Maximum = [20f, 10f],
            LowerBound = -1f,
        }).Fit(data);
        Column(model.Transform(data)).Should().BeEquivalentTo(new[] { new[] { -1f, 0.5f }, new[] { 0f, -0.5f }, new[] { 2f, 1f } }, o => o.WithStrictOrdering(),
            "[0, 20] and [-10, 10] map to [-1, 1], and values outside them are not clipped (30 maps to 2)");
    }

    [TestMethod]
    public void BadOptionsFailWithClearMessages()
    {
        var ml = new MLContext(seed: 0);
        FluentActions.Invoking(() => ml.Transforms.ScaleMinMax("Features", lowerBound: 1f, upperBound: 1f)).Should().Throw<ArgumentException>().WithMessage("*LowerBound < UpperBound*");
        FluentActions.Invoking(() => ml.Transforms.ScaleMinMax("Features", upperBound: float.PositiveInfinity)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => ml.Transforms.ScaleMinMax(new MinMaxScalingEstimator.Options { OutputColumnName = "F", Minimum = [2f], Maximum = [1f] }))
            .Should().Throw<ArgumentException>().WithMessage("*Maximum[0] = 1 is below Minimum[0] = 2*");
        FluentActions.Invoking(() => ml.Transforms.ScaleMinMax(new MinMaxScalingEstimator.Options { OutputColumnName = "F", ChannelCount = 3 }))
            .Should().Throw<ArgumentException>().WithMessage("*PerChannel*");
        FluentActions.Invoking(() => ml.Transforms.ScaleMinMax("")).Should().Throw<ArgumentException>().WithMessage("*OutputColumnName*");
    }
}
