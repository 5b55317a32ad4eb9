using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// Checks, while a fitted normalizer scores, that the values of its input column are finite, and otherwise throws an
/// error naming the column, the row and the slot. It wraps the normalizer's input (a data view, or the row a
/// prediction engine passes in), so the check runs when the scoring chain reads the column, before ONNX Runtime
/// sees the values, and knows the row's position.
/// </summary>
/// <remarks>
/// The saved chain has its own check (the stateless glue <see cref="Scoring.CheckFiniteNormalizerInput"/>), which cannot
/// know the column's name or the row: this guard gives the full message in the process that fitted the model. The
/// guarded view reads its input with one cursor, so row numbers are positions in the input; ML.NET still splits the work
/// of later steps across threads itself.
/// </remarks>
internal static class NonFiniteInputGuard
{
    /// <summary>Wraps <paramref name="input"/> so that reading <paramref name="column"/> checks its values.</summary>
    public static IDataView Wrap(IDataView input, string column, string transform) => new GuardedDataView(input, new Check(input.Schema[column].Index, column, transform));

    /// <summary>Wraps <paramref name="mapper"/> so that the rows it maps are checked first.</summary>
    public static IRowToRowMapper Wrap(IRowToRowMapper mapper, string column, string transform) =>
        new GuardedMapper(mapper, new Check(mapper.InputSchema[column].Index, column, transform));

    private sealed record Check(int ColumnIndex, string Column, string Transform)
    {
        public ValueGetter<T> Guard<T>(DataViewRow row, DataViewSchema.Column column, ValueGetter<T> getter)
        {
            if (column.Index != ColumnIndex || getter is not ValueGetter<VBuffer<float>> vector) return getter;
            ValueGetter<VBuffer<float>> guarded = (ref VBuffer<float> value) =>
            {
                vector(ref value);
                var values = value.GetValues();
                for (int i = 0; i < values.Length; i++)
                {
                    if (float.IsFinite(values[i])) continue;
                    int slot = value.IsDense ? i : value.GetIndices()[i];
                    throw NormalizerStatistics.NonFinite(Column, row.Position, slot, values[i], Transform, "score");
                }
            };
            return (ValueGetter<T>)(Delegate)guarded;
        }
    }

    private sealed class GuardedDataView(IDataView input, Check check) : IDataView
    {
        public bool CanShuffle => input.CanShuffle;

        public DataViewSchema Schema => input.Schema;

        public long? GetRowCount() => input.GetRowCount();

        public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
            new GuardedCursor(input.GetRowCursor(columnsNeeded, rand), check);

        public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
            [GetRowCursor(columnsNeeded, rand)];
    }

    private sealed class GuardedCursor(DataViewRowCursor inner, Check check) : DataViewRowCursor
    {
        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override DataViewSchema Schema => inner.Schema;

        public override bool MoveNext() => inner.MoveNext();

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => check.Guard(this, column, inner.GetGetter<TValue>(column));

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>A row passed to a prediction engine, checked; it does not own (dispose) the row it wraps.</summary>
    private sealed class GuardedRow(DataViewRow inner, Check check) : DataViewRow
    {
        public override long Position => inner.Position;

        public override long Batch => inner.Batch;

        public override DataViewSchema Schema => inner.Schema;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => check.Guard(this, column, inner.GetGetter<TValue>(column));

        public override ValueGetter<DataViewRowId> GetIdGetter() => inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => inner.IsColumnActive(column);
    }

    private sealed class GuardedMapper(IRowToRowMapper inner, Check check) : IRowToRowMapper
    {
        public DataViewSchema InputSchema => inner.InputSchema;

        public DataViewSchema OutputSchema => inner.OutputSchema;

        public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns) => inner.GetDependencies(dependingColumns);

        public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) => inner.GetRow(new GuardedRow(input, check), activeColumns);
    }
}
