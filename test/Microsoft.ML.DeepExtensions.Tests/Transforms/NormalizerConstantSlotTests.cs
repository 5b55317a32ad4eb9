using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Transforms;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>
/// Constant slots (documented in docs/design/normalization.md): z-score maps them to 0; min-max maps them to the point
/// of [a, b] nearest 0. Whatever value a constant slot holds when scoring, the output is that constant.
/// </summary>
[TestClass]
public sealed class NormalizerConstantSlotTests
{
    [TestMethod]
    public void DigitsConstantPixelsStandardizeToZero()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Digits(ml);
        using var model = ml.Transforms.Standardize("Features").Fit(data);
        int[] constant = Enumerable.Range(0, 64).Where(j => model.StandardDeviation[j] == 0).ToArray();
        constant.Should().NotBeEmpty("precondition: some border pixels of the 8x8 digits are always 0");
        var rows = CsvFeatures("digits_8x8.csv", 64);
        foreach (int j in constant) rows.Select(r => r[j]).Distinct().Should().ContainSingle($"slot {j} is really constant");
        var output = Column(model.Transform(data));
        foreach (int j in constant) output.Select(r => r[j]).Should().AllSatisfy(v => v.Should().Be(0f));
        output.Should().AllSatisfy(r => r.Should().OnlyContain(v => float.IsFinite(v)));
    }

    [TestMethod]
    [DataRow(0f, 1f, 0f)]
    [DataRow(-1f, 1f, 0f)]
    [DataRow(1f, 2f, 1f)]
    [DataRow(-5f, -2f, -2f)]
    public void ConstantSlotsScaleToThePointOfTheRangeNearestZero(float a, float b, float expected)
    {
        var ml = new MLContext(seed: 0);
        var train = VectorView(ml, [[7f, 1f], [7f, 3f]], 2);
        using var model = ml.Transforms.ScaleMinMax("Features", lowerBound: a, upperBound: b).Fit(train);
        model.Minimum[0].Should().Be(model.Maximum[0], "precondition: slot 0 is constant");
        var test = VectorView(ml, [[7f, 1f], [-100f, 3f], [1e6f, 2f]], 2);
        Column(model.Transform(test)).Select(r => r[0]).Should().Equal(expected, expected, expected);
        Column(model.Transform(test)).Select(r => r[1]).Should().Equal(a, b, (a + b) / 2);
    }

    [TestMethod]
    public void ConstantSlotsStandardizeToZeroWhateverTheScoredValue()
    {
        var ml = new MLContext(seed: 0);
        using var model = ml.Transforms.Standardize("Features").Fit(VectorView(ml, [[0.1f, 1f], [0.1f, 3f], [0.1f, 5f]], 2));
        model.StandardDeviation[0].Should().Be(0);
        model.Mean[0].Should().Be((double)0.1f);
        Column(model.Transform(VectorView(ml, [[0.1f, 3f], [42f, 3f]], 2))).Select(r => r[0]).Should().Equal(0f, 0f);
    }
}
