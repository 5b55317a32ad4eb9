using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Export;

/// <summary>A value of an ONNX graph that holds an ML.NET column: <c>[N, Size]</c> (vectors flat, scalars as <c>[N, 1]</c>).</summary>
/// <param name="Value">The ONNX value's name.</param>
/// <param name="Size">The number of values per row.</param>
/// <param name="ElementType">The element type.</param>
internal readonly record struct OnnxColumn(string Value, int Size, OnnxElementType ElementType);

/// <summary>
/// An ONNX graph being built from the steps of an ML.NET model, with the table that maps ML.NET columns to the graph
/// values holding them. A step reads its input columns (<see cref="Read"/>: a value bound by an earlier step, or a new
/// graph input named after a column of the model's input schema), appends its nodes to <see cref="Graph"/>, and binds
/// its output columns (<see cref="Write"/>). <see cref="DeclareOutputs"/> finally makes the chosen columns graph outputs.
/// </summary>
/// <remarks>
/// Every column value keeps the batch dimension N first and is flat, as ML.NET's vector columns are; steps reshape
/// internally (e.g. to <c>[N, C, H, W]</c>) and flatten again.
/// </remarks>
internal sealed class OnnxColumnGraph
{
    private readonly Dictionary<string, OnnxColumn> _columns = new(StringComparer.Ordinal);
    private readonly List<string> _written = [];
    private readonly List<string> _inputs = [];

    /// <summary>Starts a graph whose inputs are columns of <paramref name="inputSchema"/>.</summary>
    public OnnxColumnGraph(OnnxGraphBuilder graph, DataViewSchema inputSchema)
    {
        Graph = graph;
        InputSchema = inputSchema;
    }

    /// <summary>The graph.</summary>
    public OnnxGraphBuilder Graph { get; }

    /// <summary>The schema of the model's input.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The columns written so far, in order of their first write.</summary>
    public IReadOnlyList<string> WrittenColumns => _written;

    /// <summary>The columns that became graph inputs, in order.</summary>
    public IReadOnlyList<string> InputColumns => _inputs;

    /// <summary>The value holding <paramref name="column"/>: the last one bound, else a new graph input named after the column.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is neither bound nor in the input schema.</exception>
    /// <exception cref="NotSupportedException">The input column is not Single or a known-size vector of Single.</exception>
    public OnnxColumn Read(string column)
    {
        if (_columns.TryGetValue(column, out var bound)) return bound;
        var source = InputSchema.GetColumnOrNull(column)
            ?? throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column}' is neither in the model's input schema nor written by an exported step.");
        int size = source.Type switch
        {
            NumberDataViewType n when n == NumberDataViewType.Single => 1,
            VectorDataViewType { Size: > 0 } v when v.ItemType == NumberDataViewType.Single => v.Size,
            _ => throw new NotSupportedException($"Column '{column}' has type {source.Type}; an exported graph takes only Single and known-size vectors of Single as inputs."),
        };
        string name = Graph.AddInput(column, [size]);
        _inputs.Add(column);
        return _columns[column] = new OnnxColumn(name, size, OnnxElementType.Float);
    }

    /// <summary>Binds <paramref name="column"/> to the value <paramref name="value"/> (<c>[N, size]</c>).</summary>
    public void Write(string column, string value, int size, OnnxElementType elementType = OnnxElementType.Float)
    {
        if (!_written.Contains(column)) _written.Add(column);
        _columns[column] = new OnnxColumn(value, size, elementType);
    }

    /// <summary>True when <paramref name="column"/> is bound to a value written by a step.</summary>
    public bool IsWritten(string column) => _written.Contains(column);

    /// <summary>
    /// Makes each of <paramref name="columns"/> (written columns) a graph output named after it, or <c>{column}.output</c> when
    /// a graph input has the column's name (a column a step replaced in place; the suffix is the one ML.NET's own ONNX
    /// export uses and its <c>OnnxTransformer</c> strips).
    /// </summary>
    /// <returns>The output names, in the order of <paramref name="columns"/>.</returns>
    public IReadOnlyList<string> DeclareOutputs(IEnumerable<string> columns)
    {
        var names = new List<string>();
        foreach (string column in columns)
        {
            var bound = _columns[column];
            string name = _inputs.Contains(column) ? column + ".output" : column;
            if (bound.Value != name)
            {
                name = Graph.UniqueName(name);
                Graph.AddNode("Identity", [bound.Value], [name]);
            }
            Graph.AddOutput(name, [bound.Size], bound.ElementType);
            names.Add(name);
        }
        return names;
    }
}
