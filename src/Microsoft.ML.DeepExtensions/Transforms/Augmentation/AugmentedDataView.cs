using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Transforms.Augmentation;

/// <summary>Augments the value of one column of one row; a new instance per cursor (it may keep buffers).</summary>
/// <typeparam name="T">The column's value type.</typeparam>
internal interface IRowAugmenter<T>
{
    /// <summary>Writes copy <paramref name="copy"/> (0-based) of the augmented <paramref name="source"/> of source row <paramref name="row"/> to <paramref name="destination"/>.</summary>
    void Augment(in T source, ref T destination, int copy, long row);

    /// <summary>Writes <paramref name="source"/> unchanged to <paramref name="destination"/> (a copy the caller may keep).</summary>
    void Copy(in T source, ref T destination);
}

/// <summary>
/// A lazy <see cref="IDataView"/> that repeats every row of a source <c>copies</c> times (after the original row
/// itself when <c>keepOriginal</c>), with one column augmented. Copy <c>k</c> of source row <c>r</c> is computed from
/// (seed, k, r) only, so cursoring the view twice gives identical rows; nothing is materialised.
/// </summary>
/// <remarks>
/// Rows come in source order, each row's copies adjacent: row 0 (original), row 0 copy 0, row 0 copy 1, ..., row 1
/// (original), ... The schema is the source's (the augmented column keeps its type and annotations). The view does
/// not shuffle (<see cref="CanShuffle"/> is false): shuffle it with <c>mlContext.Data.ShuffleRows</c> if needed.
/// </remarks>
/// <typeparam name="T">The augmented column's value type.</typeparam>
internal sealed class AugmentedDataView<T> : IDataView
{
    private readonly IDataView _source;
    private readonly int _column;
    private readonly int _copies;
    private readonly bool _keepOriginal;
    private readonly Func<IRowAugmenter<T>> _createAugmenter;

    public AugmentedDataView(IDataView source, int column, int copies, bool keepOriginal, Func<IRowAugmenter<T>> createAugmenter)
    {
        _source = source;
        _column = column;
        _copies = copies;
        _keepOriginal = keepOriginal;
        _createAugmenter = createAugmenter;
    }

    private int RowsPerSourceRow => _copies + (_keepOriginal ? 1 : 0);

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _source.GetRowCount() * RowsPerSourceRow;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var needed = columnsNeeded.Select(c => _source.Schema[c.Index]).ToArray();
        return new Cursor(this, _source.GetRowCursor(needed));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly AugmentedDataView<T> _view;
        private readonly DataViewRowCursor _source;
        private readonly int _perRow;
        private IRowAugmenter<T>? _augmenter;
        private ValueGetter<T>? _sourceGetter;
        private T _sourceValue = default!;
        private long _position = -1, _row = -1;
        private int _sub = -1;

        public Cursor(AugmentedDataView<T> view, DataViewRowCursor source)
        {
            _view = view;
            _source = source;
            _perRow = view.RowsPerSourceRow;
        }

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _view.Schema;

        public override bool MoveNext()
        {
            if (_sub >= 0 && _sub + 1 < _perRow)
            {
                _sub++;
                _position++;
                return true;
            }
            if (_perRow == 0 || !_source.MoveNext())
            {
                _sub = -1;
                return false;
            }
            _row++;
            _sub = 0;
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) =>
        {
            EnsureOnRow();
            id = new DataViewRowId(unchecked((ulong)_position), 0);
        };

        public override bool IsColumnActive(DataViewSchema.Column column) => _source.IsColumnActive(_source.Schema[column.Index]);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index != _view._column)
                return _source.GetGetter<TValue>(_source.Schema[column.Index]); // the source stays on the row during its copies
            if (typeof(TValue) != typeof(T))
                throw new InvalidOperationException($"Column '{column.Name}' holds {typeof(T).Name} values; a getter of {typeof(TValue).Name} was requested.");
            _sourceGetter ??= _source.GetGetter<T>(_source.Schema[column.Index]);
            _augmenter ??= _view._createAugmenter();
            ValueGetter<T> getter = (ref T value) =>
            {
                EnsureOnRow();
                _sourceGetter(ref _sourceValue);
                int copy = _view._keepOriginal ? _sub - 1 : _sub;
                if (copy < 0) _augmenter.Copy(in _sourceValue, ref value);
                else _augmenter.Augment(in _sourceValue, ref value, copy, _row);
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        private void EnsureOnRow()
        {
            if (_sub < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first (and only while it returns true).");
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) _source.Dispose();
            base.Dispose(disposing);
        }
    }
}
