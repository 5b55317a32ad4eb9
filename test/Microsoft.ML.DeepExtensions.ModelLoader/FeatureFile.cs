using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.ModelLoader;

/// <summary>Feature vectors read from the binary input file (see Program.cs for the format).</summary>
internal sealed class FeatureFile
{
    private FeatureFile(int rows, int width, float[] values)
    {
        Rows = rows;
        Width = width;
        Values = values;
    }

    public int Rows { get; }

    public int Width { get; }

    public float[] Values { get; }

    public static FeatureFile Read(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        int rows = reader.ReadInt32();
        int width = reader.ReadInt32();
        var values = new float[checked(rows * width)];
        for (int i = 0; i < values.Length; i++) values[i] = reader.ReadSingle();
        return new FeatureFile(rows, width, values);
    }

    /// <summary>
    /// An IDataView with one column, <c>Features</c>, of type <c>Vector&lt;Single, Width&gt;</c>, or
    /// <c>Vector&lt;Single, d1, d2, ...&gt;</c> for the given <paramref name="dimensions"/> (whose product must be <see cref="Width"/>).
    /// </summary>
    public IDataView ToDataView(MLContext ml, int[]? dimensions = null)
    {
        dimensions ??= [Width];
        if (dimensions.Aggregate(1L, (a, d) => a * d) != Width || dimensions.Any(d => d < 1))
            throw new ArgumentException($"The dimensions ({string.Join(", ", dimensions)}) do not hold the {Width} values of a row.", nameof(dimensions));
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        schema[nameof(FeatureRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimensions);
        var rows = new FeatureRow[Rows];
        for (int i = 0; i < Rows; i++) rows[i] = new FeatureRow { Features = Values.AsSpan(i * Width, Width).ToArray() };
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class FeatureRow
    {
        public float[] Features { get; set; } = [];
    }
}
