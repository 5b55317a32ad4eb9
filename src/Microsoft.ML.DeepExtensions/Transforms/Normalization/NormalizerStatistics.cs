using System.Globalization;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Statistics;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// The one streaming pass over an <see cref="IDataView"/> that fits a normalizer: every value of the column goes
/// through <see cref="RunningMoments"/> (float64, Chan et al.), per slot in blocks of rows, or per channel one image
/// plane at a time. Memory stays bounded (a block of at most 1 M values) whatever the number of rows.
/// </summary>
internal static class NormalizerStatistics
{
    private const int BlockValues = 1 << 20;

    /// <summary>Reads every row of <paramref name="column"/> of <paramref name="data"/>.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (the message names the column, row and slot), or the data has no rows.</exception>
    public static RunningMoments Compute(IDataView data, string column, NormalizerLayout layout, string transform)
    {
        var col = data.Schema[column];
        var moments = new RunningMoments(layout.FeatureCount);
        int d = layout.SlotCount;
        bool perSlot = layout.GroupLength == 1;
        int blockRows = perSlot ? Math.Clamp(BlockValues / d, 1, 1024) : 1;
        var block = new float[blockRows * d];
        using var cursor = data.GetRowCursor([col]);
        var getter = cursor.GetGetter<VBuffer<float>>(col);
        VBuffer<float> buffer = default;
        long row = -1;
        int filled = 0;
        while (cursor.MoveNext())
        {
            row++;
            getter(ref buffer);
            var values = block.AsSpan(filled * d, d);
            buffer.CopyTo(values);
            CheckFinite(values, column, row, transform, "fit its statistics");
            if (perSlot)
            {
                if (++filled == blockRows)
                {
                    moments.AddRows(block, filled);
                    filled = 0;
                }
                continue;
            }
            for (int c = 0; c < layout.FeatureCount; c++)
                moments.AddGroup(c, values.Slice(c * layout.GroupLength, layout.GroupLength));
        }
        if (filled > 0) moments.AddRows(block, filled);
        if (row < 0)
            throw new InvalidOperationException($"{transform} cannot fit column '{column}': the data has no rows. Fit on data with at least one row, or give the statistics in the options.");
        return moments;
    }

    /// <summary>Throws when <paramref name="values"/> (one row) holds a NaN or an infinity.</summary>
    /// <exception cref="InvalidOperationException">Names the column, the 0-based row (when known) and the slot.</exception>
    public static void CheckFinite(ReadOnlySpan<float> values, string column, long row, string transform, string purpose)
    {
        for (int j = 0; j < values.Length; j++)
            if (!float.IsFinite(values[j]))
                throw NonFinite(column, row, j, values[j], transform, purpose);
    }

    /// <summary>The error for a non-finite value at (<paramref name="row"/>, <paramref name="slot"/>) of <paramref name="column"/>.</summary>
    public static InvalidOperationException NonFinite(string column, long row, int slot, float value, string transform, string purpose) =>
        new($"Column '{column}' holds {Describe(value)} at {(row >= 0 ? $"row {row}, " : "")}slot {slot}: {transform} needs finite values to {purpose}. " +
            "Replace missing values (mlContext.Transforms.ReplaceMissingValues) or filter such rows (mlContext.Data.FilterRowsByMissingValues) first.");

    private static string Describe(float v) =>
        float.IsNaN(v) ? "NaN (a missing value)" : float.IsPositiveInfinity(v) ? "+infinity" : float.IsNegativeInfinity(v) ? "-infinity" : v.ToString(CultureInfo.InvariantCulture);
}
