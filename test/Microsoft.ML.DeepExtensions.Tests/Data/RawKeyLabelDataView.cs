using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Data;

/// <summary>
/// A minimal <see cref="IDataView"/>: a known-size <c>Features</c> vector and a key <c>Label</c> whose raw key values
/// are served exactly as given. ML.NET's own loaders turn an out-of-range key into the missing key 0, so this is the
/// way to reach the trainers' guard against keys above the key type's count.
/// </summary>
internal sealed class RawKeyLabelDataView : IDataView
{
    private readonly float[][] _features;
    private readonly uint[] _keys;

    public RawKeyLabelDataView(float[][] features, uint[] keys, int classes)
    {
        _features = features;
        _keys = keys;
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, features[0].Length));
        builder.AddColumn("Label", new KeyDataViewType(typeof(uint), classes));
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _keys.Length;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor(RawKeyLabelDataView view) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override bool MoveNext() => ++_position < view._keys.Length;

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index == 0
                ? (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => v = new VBuffer<float>(view._features[_position].Length, (float[])view._features[_position].Clone()))
                : (ValueGetter<uint>)((ref uint k) => k = view._keys[_position]);
            return (ValueGetter<TValue>)getter;
        }
    }
}
