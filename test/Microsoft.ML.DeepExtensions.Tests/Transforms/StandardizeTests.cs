using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Transforms;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>
/// <c>mlContext.Transforms.Standardize</c> per slot on real data whose scales differ a lot (wine: from 0.1 to 1,680;
/// digits: 64 pixels, some constant): the fitted statistics equal a float64 two-pass reference, the output is
/// <c>(x − μ)/σ</c>, and the column keeps its type and slot names.
/// </summary>
[TestClass]
public sealed class StandardizeTests
{
    [TestMethod]
    [DataRow("wine.csv", 13)]
    [DataRow("digits_8x8.csv", 64)]
    public void FittedStatisticsEqualTheFloat64Reference(string file, int featureCount)
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Load(ml, file, featureCount, featureCount);
        using var model = ml.Transforms.Standardize("Features").Fit(data);
        var rows = CsvFeatures(file, featureCount);
        var (mean, std) = MeanStd(rows);

        model.Mean.Should().HaveCount(featureCount);
        model.ValueCount.Should().Be(rows.Length);
        model.Scope.Should().Be(NormalizationScope.PerSlot);
        for (int j = 0; j < featureCount; j++)
        {
            Close(model.Mean[j], mean[j], 1e-6, 1e-12, $"mean of slot {j}");
            Close(model.StandardDeviation[j], std[j], 1e-6, 1e-12, $"standard deviation of slot {j}");
        }
        if (file == "wine.csv") (std.Max() / std.Min()).Should().BeGreaterThan(1000, "precondition: the wine features' scales differ a lot");
    }

    [TestMethod]
    public void OutputIsTheZScoreWithZeroMeanAndUnitVariance()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Wine(ml);
        using var model = ml.Transforms.Standardize("Features").Fit(data);
        var input = Column(data);
        var output = Column(model.Transform(data));
        var (mean, std) = MeanStd(input);
        for (int i = 0; i < input.Length; i++)
            for (int j = 0; j < 13; j++)
                Close(output[i][j], (input[i][j] - mean[j]) / std[j], 1e-5, 1e-5, $"row {i}, slot {j}");
        var (outMean, outStd) = MeanStd(output);
        outMean.Should().AllSatisfy(m => Math.Abs(m).Should().BeLessThan(1e-5));
        outStd.Should().AllSatisfy(s => s.Should().BeApproximately(1, 1e-5));
    }

    [TestMethod]
    public void OutputColumnKeepsTypeAndSlotNames()
    {
        var ml = new MLContext(seed: 0);
        var data = WineWithSlotNames(ml);
        using var model = ml.Transforms.Standardize("Scaled", "Features").Fit(data);
        var scored = model.Transform(data);
        scored.Schema["Scaled"].Type.Should().Be(data.Schema["Features"].Type);
        VBuffer<ReadOnlyMemory<char>> expected = default, actual = default;
        data.Schema["Features"].Annotations.GetValue("SlotNames", ref expected);
        scored.Schema["Scaled"].Annotations.GetValue("SlotNames", ref actual);
        actual.DenseValues().Select(s => s.ToString()).Should().Equal(expected.DenseValues().Select(s => s.ToString()));
        expected.DenseValues().First().ToString().Should().Be("alcohol", "precondition: the input has the CSV header's names as slot names");
        scored.Schema["Features"].Type.Should().Be(data.Schema["Features"].Type, "the input column is kept");
        Column(scored, "Features")[0].Should().Equal(Column(data)[0]);
    }

    [TestMethod]
    public void GivenStatisticsAreUsedAsGivenWithoutReadingRows()
    {
        var ml = new MLContext(seed: 0);
        float[] mean = [1f, -2f, 10f], std = [2f, 0.5f, 0f];
        var rows = new[] { new[] { 3f, -1f, 7f }, new[] { 0f, -2.5f, 12f } };
        var data = VectorView(ml, rows, 3);
        using var model = ml.Transforms.Standardize("Features", null, mean, std).Fit(data);
        model.Mean.Should().Equal(1.0, -2.0, 10.0);
        model.ValueCount.Should().Be(0);
        Column(model.Transform(data)).Should().BeEquivalentTo(new[] { new[] { 1f, 2f, 0f }, new[] { -0.5f, -1f, 0f } }, o => o.WithStrictOrdering());

        var emptyButTyped = VectorView(ml, [], 3);
        using var fromSchemaOnly = ml.Transforms.Standardize("Features", null, mean, std).Fit(emptyButTyped);
        fromSchemaOnly.Mean.Should().Equal(1.0, -2.0, 10.0);
    }

    [TestMethod]
    public void BadOptionsAndColumnsFailWithClearMessages()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Wine(ml);
        ml.Transforms.Standardize("Nope").Invoking(e => e.Fit(data)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*no column 'Nope'*'Features'*");
        ml.Transforms.Standardize("Label").Invoking(e => e.Fit(data)).Should().Throw<ArgumentException>().WithMessage("*'Label' is a scalar Single*Concatenate*");
        ml.Transforms.Standardize("Features", null, [1f, 2f], [1f, 1f]).Invoking(e => e.Fit(data)).Should().Throw<ArgumentException>()
            .WithMessage("*2 mean values*13 slots*");
        FluentActions.Invoking(() => ml.Transforms.Standardize("Features", null, [1f], [-1f])).Should().Throw<ArgumentException>().WithMessage("*StandardDeviation[0]*");
        FluentActions.Invoking(() => ml.Transforms.Standardize(new StandardizingEstimator.Options { OutputColumnName = "Features", Mean = [1f] }))
            .Should().Throw<ArgumentException>().WithMessage("*both Mean and StandardDeviation*");
        ml.Transforms.Standardize("Nope").Invoking(e => e.GetOutputSchema(Shape(data.Schema))).Should().Throw<ArgumentOutOfRangeException>();
        ml.Transforms.Standardize("Out", "Features").GetOutputSchema(Shape(data.Schema)).Select(c => c.Name).Should().Contain("Out");
        ml.Data.LoadFromEnumerable(Array.Empty<VectorRow>(), VectorDefinition(3)).Invoking(v => ml.Transforms.Standardize("Features").Fit(v))
            .Should().Throw<InvalidOperationException>().WithMessage("*no rows*");
    }

    /// <summary>The schema shape of <paramref name="schema"/> (ML.NET's SchemaShape.Create is internal).</summary>
    private static SchemaShape Shape(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static, [typeof(DataViewSchema)])!
            .Invoke(null, [schema])!;

    private static SchemaDefinition VectorDefinition(int size)
    {
        var definition = SchemaDefinition.Create(typeof(VectorRow));
        definition[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return definition;
    }
}
