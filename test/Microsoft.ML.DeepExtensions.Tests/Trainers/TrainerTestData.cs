using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>A row with a key label (multiclass). The feature vector size is set by the schema definition.</summary>
public sealed class KeyRow
{
    public float[] Features { get; set; } = [];

    /// <summary>The 0-based class index: <c>LoadFromEnumerable</c> stores a key column's value v as the key v + 1.</summary>
    public uint Label { get; set; }

    public float Weight { get; set; } = 1;
}

/// <summary>A row with a Boolean label (binary).</summary>
public sealed class BoolRow
{
    public float[] Features { get; set; } = [];

    public bool Label { get; set; }

    public float Weight { get; set; } = 1;
}

/// <summary>A row with a Single label (regression).</summary>
public sealed class FloatRow
{
    public float[] Features { get; set; } = [];

    public float Label { get; set; }

    public float Weight { get; set; } = 1;
}

/// <summary>
/// Small synthetic data sets for trainer tests: Gaussian blobs (one centre per class) loaded as IDataViews with a
/// known-size <c>Features</c> vector, a <c>Label</c> of the task's type and a Single <c>Weight</c> column.
/// </summary>
public static class TrainerTestData
{
    /// <summary>Features of <paramref name="rows"/> points, point i in class <c>labels[i]</c> (centre: 2 on coordinate <c>c mod d</c>, −2 if <c>c ≥ d</c>) plus N(0, spread²) noise.</summary>
    public static float[][] Blobs(int rows, int featureCount, int classes, float spread, int seed, out int[] labels)
    {
        var random = new Random(seed);
        var features = new float[rows][];
        labels = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int c = i % classes;
            labels[i] = c;
            var x = new float[featureCount];
            for (int j = 0; j < featureCount; j++)
                x[j] = (float)(spread * Gaussian(random));
            x[c % featureCount] += c >= featureCount ? -2f : 2f;
            features[i] = x;
        }
        return features;
    }

    /// <summary>Multiclass rows: key labels 1..classes (key type of <paramref name="classes"/> values, no KeyValues).</summary>
    public static IDataView Multiclass(MLContext ml, int rows = 60, int featureCount = 4, int classes = 3, float spread = 0.5f, int seed = 1)
    {
        var x = Blobs(rows, featureCount, classes, spread, seed, out var y);
        return LoadKeyRows(ml, x.Select((f, i) => new KeyRow { Features = f, Label = (uint)y[i] }), featureCount, classes);
    }

    /// <summary>Binary rows: label true for blob 1, false for blob 0.</summary>
    public static IDataView Binary(MLContext ml, int rows = 60, int featureCount = 4, float spread = 0.5f, int seed = 1)
    {
        var x = Blobs(rows, featureCount, 2, spread, seed, out var y);
        return Load(ml, x.Select((f, i) => new BoolRow { Features = f, Label = y[i] == 1 }), featureCount);
    }

    /// <summary>Regression rows: label = 3·x0 − x1 + 0.1·noise.</summary>
    public static IDataView Regression(MLContext ml, int rows = 60, int featureCount = 4, int seed = 1)
    {
        var x = Blobs(rows, featureCount, 1, 1f, seed, out _);
        var random = new Random(seed + 1000);
        return Load(ml, x.Select(f => new FloatRow { Features = f, Label = 3 * f[0] - f[1] + 0.1f * (float)Gaussian(random) }), featureCount);
    }

    /// <summary>Loads rows whose <c>Features</c> column is a vector of <paramref name="featureCount"/> Singles (0 = variable size).</summary>
    public static IDataView Load<T>(MLContext ml, IEnumerable<T> rows, int featureCount)
        where T : class
    {
        var schema = SchemaDefinition.Create(typeof(T));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    /// <summary>Loads key-label rows with a key type of <paramref name="classes"/> values (no KeyValues annotation).</summary>
    public static IDataView LoadKeyRows(MLContext ml, IEnumerable<KeyRow> rows, int featureCount, int classes)
    {
        var schema = SchemaDefinition.Create(typeof(KeyRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), classes);
        return ml.Data.LoadFromEnumerable(rows.ToList(), schema);
    }

    /// <summary>Reads a Single column.</summary>
    public static float[] Floats(IDataView data, string column) => data.GetColumn<float>(column).ToArray();

    /// <summary>Reads a vector-of-Single column (e.g. the multiclass <c>Score</c>), row by row.</summary>
    public static float[][] Vectors(IDataView data, string column) => data.GetColumn<float[]>(column).ToArray();

    /// <summary>Reads a key column as raw key values (1-based; 0 = missing).</summary>
    public static uint[] Keys(IDataView data, string column) => data.GetColumn<uint>(column).ToArray();

    private static double Gaussian(Random random)
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
