using System.Globalization;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>Reads the all-numeric tabular CSVs of <c>data/tabular</c> for engine-level tests (no ML.NET).</summary>
public sealed class NumericCsv
{
    private NumericCsv(string[] header, double[][] rows)
    {
        Header = header;
        Rows = rows;
    }

    /// <summary>The column names.</summary>
    public string[] Header { get; }

    /// <summary>The values, one array per row.</summary>
    public double[][] Rows { get; }

    /// <summary>Loads <c>data/{relative}</c>, keeping only numeric columns.</summary>
    public static NumericCsv Load(string relative)
    {
        var lines = File.ReadAllLines(TestData.Path(relative));
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) ? d : double.NaN).ToArray())
            .ToArray();
        return new NumericCsv(header, rows);
    }

    /// <summary>
    /// Splits into train/test data sets: rows shuffled with <c>new Rng(seed)</c>, the first <paramref name="trainFraction"/>
    /// for training. Features are every column before <paramref name="labelColumn"/>, divided by <paramref name="featureScale"/>;
    /// the target is the label column.
    /// </summary>
    public (InMemoryDataset Train, InMemoryDataset Test) Split(string labelColumn, double trainFraction, ulong seed, float featureScale = 1f)
    {
        int label = Array.IndexOf(Header, labelColumn);
        int d = label;
        int[] order = Enumerable.Range(0, Rows.Length).ToArray();
        new Rng(seed).Shuffle(order.AsSpan());
        int nTrain = (int)Math.Round(Rows.Length * trainFraction);
        return (Make(order[..nTrain]), Make(order[nTrain..]));

        InMemoryDataset Make(int[] idx)
        {
            var x = new float[idx.Length * d];
            var y = new float[idx.Length];
            for (int i = 0; i < idx.Length; i++)
            {
                var r = Rows[idx[i]];
                for (int j = 0; j < d; j++) x[i * d + j] = (float)r[j] / featureScale;
                y[i] = (float)r[label];
            }
            return new InMemoryDataset(x, [d], y);
        }
    }
}
