using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.ModelLoader;

/// <summary>Writes the scored output columns to the binary output file (see Program.cs for the format).</summary>
internal static class ScoreFile
{
    public static void Write(string path, IDataView scored, int rows, IEnumerable<string> candidateColumns)
    {
        var columns = candidateColumns.Select(scored.Schema.GetColumnOrNull).Where(c => c is not null).Select(c => c!.Value).ToArray();
        var values = columns.Select(c => new List<float>()).ToArray();
        using (var cursor = scored.GetRowCursor(columns))
        {
            var readers = columns.Select(c => Reader(cursor, c)).ToArray();
            while (cursor.MoveNext())
                for (int c = 0; c < columns.Length; c++) readers[c](values[c]);
        }

        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(rows);
        writer.Write(columns.Length);
        for (int c = 0; c < columns.Length; c++)
        {
            if (values[c].Count % rows != 0) throw new InvalidOperationException($"Column {columns[c].Name}: {values[c].Count} values for {rows} rows.");
            writer.Write(columns[c].Name);
            writer.Write(columns[c].Type.ToString() ?? "");
            writer.Write(values[c].Count / rows);
            foreach (float v in values[c]) writer.Write(v);
        }
    }

    /// <summary>Appends the current row's value(s) of <paramref name="column"/> as floats.</summary>
    private static Action<List<float>> Reader(DataViewRowCursor cursor, DataViewSchema.Column column)
    {
        var type = column.Type;
        if (type == NumberDataViewType.Single)
        {
            var get = cursor.GetGetter<float>(column);
            return list => { float v = 0; get(ref v); list.Add(v); };
        }
        if (type == BooleanDataViewType.Instance)
        {
            var get = cursor.GetGetter<bool>(column);
            return list => { bool v = false; get(ref v); list.Add(v ? 1f : 0f); };
        }
        if (type is KeyDataViewType { RawType: var raw } && raw == typeof(uint))
        {
            var get = cursor.GetGetter<uint>(column);
            return list => { uint v = 0; get(ref v); list.Add(v); };
        }
        if (type is VectorDataViewType { ItemType: var item } && item == NumberDataViewType.Single)
        {
            var get = cursor.GetGetter<VBuffer<float>>(column);
            var buffer = default(VBuffer<float>);
            return list => { get(ref buffer); list.AddRange(buffer.DenseValues()); };
        }
        throw new NotSupportedException($"Column {column.Name} has type {type}, which this loader does not write.");
    }
}
