using Microsoft.ML.DeepExtensions.Engine.Statistics;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Statistics;

/// <summary><see cref="RunningMoments"/>: streaming float64 moments equal a two-pass reference however the values are batched.</summary>
[TestClass]
public sealed class RunningMomentsTests
{
    /// <summary>Rows of 3 features: a large offset with small noise (where naive Σx² − n·mean² loses every digit), a wide range, and a constant.</summary>
    private static float[][] Rows(int n, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => new[]
        {
            1e6f + (float)random.NextDouble(),
            (float)(random.NextDouble() * 2000 - 1000),
            3.25f,
        }).ToArray();
    }

    private static (double Mean, double Variance, double Min, double Max) Reference(float[][] rows, int j)
    {
        double mean = rows.Average(r => (double)r[j]);
        double variance = rows.Sum(r => (r[j] - mean) * (r[j] - mean)) / rows.Length;
        return (mean, variance, rows.Min(r => (double)r[j]), rows.Max(r => (double)r[j]));
    }

    private static void ShouldMatch(RunningMoments moments, float[][] rows)
    {
        for (int j = 0; j < 3; j++)
        {
            var (mean, variance, min, max) = Reference(rows, j);
            moments.Count(j).Should().Be(rows.Length);
            moments.Mean(j).Should().BeApproximately(mean, 1e-12 * Math.Abs(mean) + 1e-12, $"mean of feature {j}");
            moments.Variance(j).Should().BeApproximately(variance, 1e-9 * variance + 1e-15, $"variance of feature {j}");
            moments.Min(j).Should().Be(min);
            moments.Max(j).Should().Be(max);
        }
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(256)]
    [DataRow(1000)]
    public void RowBatchesOfAnySizeGiveTheTwoPassMoments(int batch)
    {
        var rows = Rows(1000, 1);
        var moments = new RunningMoments(3);
        for (int start = 0; start < rows.Length; start += batch)
        {
            var block = rows.Skip(start).Take(batch).ToArray();
            moments.AddRows(block.SelectMany(r => r).ToArray(), block.Length);
        }
        ShouldMatch(moments, rows);
        moments.Variance(0).Should().BeInRange(1 / 12.0 * 0.8, 1 / 12.0 * 1.2, "precondition: U(0, 1) noise on top of 1e6");
    }

    [TestMethod]
    public void GroupsAndMergesGiveTheSameMomentsAsRows()
    {
        var rows = Rows(500, 2);
        var byGroups = new RunningMoments(3);
        foreach (var chunk in rows.Chunk(37))
            for (int j = 0; j < 3; j++)
                byGroups.AddGroup(j, chunk.Select(r => r[j]).ToArray());
        ShouldMatch(byGroups, rows);

        var first = new RunningMoments(3);
        var second = new RunningMoments(3);
        foreach (var row in rows.Take(123)) first.Add(row);
        foreach (var row in rows.Skip(123)) second.Add(row);
        first.Merge(second);
        ShouldMatch(first, rows);
    }

    [TestMethod]
    public void ConstantFeatureHasExactlyZeroVariance()
    {
        var moments = new RunningMoments(1);
        var values = Enumerable.Repeat(0.1f, 999).ToArray();
        moments.AddGroup(0, values.AsSpan(0, 500));
        moments.AddRows(values.AsSpan(500), 499);
        moments.Add([0.1f]);
        moments.Variance(0).Should().Be(0);
        moments.Mean(0).Should().Be((double)0.1f);
    }

    [TestMethod]
    public void RejectsMismatchedShapes()
    {
        var moments = new RunningMoments(3);
        FluentActions.Invoking(() => moments.AddRows(new float[5], 2)).Should().Throw<ArgumentException>().WithMessage("*2 rows of 3 values*");
        FluentActions.Invoking(() => moments.AddGroup(3, new float[2])).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => moments.Merge(new RunningMoments(2))).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new RunningMoments(0)).Should().Throw<ArgumentOutOfRangeException>();
    }
}
