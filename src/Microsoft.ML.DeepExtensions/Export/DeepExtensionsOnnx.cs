using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Export;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions;

/// <summary>
/// Exports a fitted ML.NET model made of this library's transformers (normalizers such as <c>Standardize</c> and
/// <c>ScaleMinMax</c>, then a trainer's prediction transformer) as <b>one</b> ONNX graph, preprocessing and network
/// together, for deployment outside .NET (ONNX Runtime in Python, C++, the browser, ...).
/// </summary>
/// <remarks>
/// <para><b>The graph.</b> Inputs: the columns of the model's input that the exported steps read, named after the
/// columns, float32 <c>[N, size]</c> with a symbolic batch dimension <c>N</c> (vector columns flat, as ML.NET holds
/// them; Single columns <c>[N, 1]</c>). Outputs: by default every column the exported steps add or replace, named after
/// the column, float32 <c>[N, size]</c> (<c>PredictedLabel</c>: bool <c>[N, 1]</c> for binary, the 0-based class index
/// int64 <c>[N, 1]</c> for multiclass, as in the trainers' own ONNX files). A column replaced in place, such as
/// <c>Features</c> after <c>Standardize("Features")</c>, is output as <c>Features.output</c>, the suffix ML.NET's own
/// ONNX export uses, because an ONNX value cannot be both an input and an output.</para>
/// <para><b>Other transformers.</b> Steps not of this library (e.g. <c>MapValueToKey</c> on the label) are skipped when
/// no exported step reads what they produce; columns they replace are not outputs (the graph would not compute them).
/// A step that produces a column an exported step reads (e.g. <c>Concatenate("Features", ...)</c> before a normalizer)
/// cannot be exported: the error names it. Export the part of the model that starts after it, e.g.
/// <c>new TransformerChain&lt;ITransformer&gt;(normalizer, trainer)</c> with the schema that part reads.</para>
/// <para>This is not ML.NET's <c>ConvertToOnnx</c> (package Microsoft.ML.OnnxConverter), which exports ML.NET's own
/// transformers and cannot see this library's: it writes a different graph, hence the different name.</para>
/// </remarks>
public static class DeepExtensionsOnnx
{
    /// <summary>Exports <paramref name="model"/> as one ONNX file (written to a temporary file, then moved into place).</summary>
    /// <param name="model">The fitted model, e.g. the <c>TransformerChain</c> returned by a pipeline's <c>Fit</c>.</param>
    /// <param name="inputSchema">The schema of the data the model reads (e.g. <c>trainData.Schema</c>).</param>
    /// <param name="path">The file to write.</param>
    /// <param name="outputColumnNames">The columns to output; null (default) for every column the exported steps add or replace.</param>
    /// <exception cref="NotSupportedException">A step the graph needs cannot be exported (the message names it), or nothing can be exported.</exception>
    /// <exception cref="ArgumentException">A requested output column is not computed by an exported step.</exception>
    public static void Export(ITransformer model, DataViewSchema inputSchema, string path, IReadOnlyList<string>? outputColumnNames = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        BuildGraph(model, inputSchema, outputColumnNames).Save(path);
    }

    /// <summary>Exports <paramref name="model"/> (see <see cref="Export(ITransformer, DataViewSchema, string, IReadOnlyList{string})"/>) to <paramref name="stream"/>.</summary>
    /// <exception cref="NotSupportedException">A step the graph needs cannot be exported, or nothing can be exported.</exception>
    public static void Export(ITransformer model, DataViewSchema inputSchema, Stream stream, IReadOnlyList<string>? outputColumnNames = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        BuildGraph(model, inputSchema, outputColumnNames).Save(stream);
    }

    /// <summary>Builds the graph of <paramref name="model"/> (see <see cref="Export(ITransformer, DataViewSchema, string, IReadOnlyList{string})"/>), to extend or serialize.</summary>
    /// <exception cref="NotSupportedException">A step the graph needs cannot be exported, or nothing can be exported.</exception>
    /// <exception cref="ArgumentException">A requested output column is not computed by an exported step.</exception>
    public static OnnxGraphBuilder BuildGraph(ITransformer model, DataViewSchema inputSchema, IReadOnlyList<string>? outputColumnNames = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        var steps = Flatten(model).ToList();
        var exported = steps.OfType<IOnnxExportableTransformer>().Select(s => s.DisplayName).ToList();
        var graph = new OnnxGraphBuilder { DocString = "Microsoft.ML.DeepExtensions model: " + string.Join(" → ", exported) };
        var columns = new OnnxColumnGraph(graph, inputSchema);
        var foreign = new Dictionary<string, string>(StringComparer.Ordinal); // column → the skipped step that last changed it
        var schema = inputSchema;
        foreach (var step in steps)
        {
            var output = step.GetOutputSchema(schema);
            if (step is IOnnxExportableTransformer ours)
            {
                foreach (string read in ours.InputColumnNames)
                    if (foreign.TryGetValue(read, out string? producer))
                        throw new NotSupportedException(
                            $"{producer} changes column '{read}', which {ours.DisplayName} reads, and it cannot be exported: {nameof(DeepExtensionsOnnx)} exports only the " +
                            "normalizers and trainers of Microsoft.ML.DeepExtensions. Export the part of the model after it, e.g. " +
                            "DeepExtensionsOnnx.Export(new TransformerChain<ITransformer>(normalizer, trainer), schemaThatPartReads, path).");
                ours.EmitOnnx(columns);
                foreach (string written in ours.OutputColumnNames) foreign.Remove(written);
            }
            else
            {
                foreach (string changed in ChangedColumns(schema, output)) foreign[changed] = Describe(step);
            }
            schema = output;
        }

        IReadOnlyList<string> outputs;
        if (outputColumnNames is null)
        {
            outputs = columns.WrittenColumns.Where(c => !foreign.ContainsKey(c)).ToList();
            if (outputs.Count == 0)
                throw new NotSupportedException(exported.Count == 0
                    ? $"The model has no step {nameof(DeepExtensionsOnnx)} can export (it exports the normalizers and trainers of Microsoft.ML.DeepExtensions; a model loaded with mlContext.Model.Load is made of ML.NET built-ins: export the fitted model instead)."
                    : "Every column the exported steps write is changed again by a later step that cannot be exported.");
        }
        else
        {
            foreach (string c in outputColumnNames)
            {
                if (foreign.TryGetValue(c, out string? producer))
                    throw new ArgumentException($"Output column '{c}' is last changed by {producer}, which cannot be exported.", nameof(outputColumnNames));
                if (!columns.IsWritten(c))
                    throw new ArgumentException($"Output column '{c}' is not computed by an exported step (they write: {string.Join(", ", columns.WrittenColumns)}).", nameof(outputColumnNames));
            }
            outputs = outputColumnNames;
        }
        columns.DeclareOutputs(outputs);
        return graph;
    }

    /// <summary>The steps of <paramref name="model"/> in order, with nested chains expanded.</summary>
    private static IEnumerable<ITransformer> Flatten(ITransformer model)
    {
        if (model is IEnumerable<ITransformer> chain)
        {
            foreach (var inner in chain)
                foreach (var step in Flatten(inner))
                    yield return step;
            yield break;
        }
        yield return model;
    }

    /// <summary>
    /// The visible columns a step adds or replaces, or removes. A row-to-row step keeps its input's columns at their
    /// indices (replaced ones hidden) and appends what it computes, so the visible columns past the input's count are its
    /// own; a visible input column missing from the output was dropped.
    /// </summary>
    private static IEnumerable<string> ChangedColumns(DataViewSchema input, DataViewSchema output)
    {
        foreach (var column in output)
            if (!column.IsHidden && column.Index >= input.Count) yield return column.Name;
        foreach (var column in input)
            if (!column.IsHidden && output.GetColumnOrNull(column.Name) is null) yield return column.Name;
    }

    private static string Describe(ITransformer step)
    {
        string name = step.GetType().Name;
        int tick = name.IndexOf('`', StringComparison.Ordinal);
        return "The step " + (tick > 0 ? name[..tick] : name);
    }
}
