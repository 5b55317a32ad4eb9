namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>Options of <see cref="OnnxExporter"/>: value names, batch dimension, opset and model metadata.</summary>
public sealed class OnnxExportOptions
{
    /// <summary>The name of the graph input (default <c>"input"</c>).</summary>
    public string InputName { get; set; } = "input";

    /// <summary>The name of the graph output (default <c>"output"</c>).</summary>
    public string OutputName { get; set; } = "output";

    /// <summary>The name of the symbolic batch dimension of the input and output (default <c>"N"</c>).</summary>
    public string BatchDimension { get; set; } = OnnxGraphBuilder.DefaultBatchDimension;

    /// <summary>
    /// Optional symbolic names for the per-example input dimensions, one entry per dimension of the input shape
    /// (null entries stay fixed), e.g. <c>["T", null]</c> to accept sequences <c>(N, T, F)</c> of any length <c>T</c>.
    /// Default null: every per-example dimension is fixed.
    /// </summary>
    public IReadOnlyList<string?>? InputDimensionNames { get; set; }

    /// <summary>
    /// Optional symbolic names for the per-example output dimensions (as <see cref="InputDimensionNames"/>), e.g.
    /// <c>["T", null]</c> for a recurrent network whose output keeps the time axis. Default null: all fixed.
    /// </summary>
    public IReadOnlyList<string?>? OutputDimensionNames { get; set; }

    /// <summary>
    /// When true, the graph input is flat, <c>[N, prod(inputShape)]</c>, and a <c>Reshape</c> restores
    /// <c>(N, *inputShape)</c> inside the graph: the form of ML.NET's vector columns (e.g. the output of
    /// <c>ExtractPixels</c> for <c>(C, H, W)</c> images). Default false. Not combinable with <see cref="InputDimensionNames"/>.
    /// </summary>
    public bool FlattenInput { get; set; }

    /// <summary>The opset of the default ONNX domain (default <see cref="OnnxGraphBuilder.DefaultOpsetVersion"/>, 17).</summary>
    public int OpsetVersion { get; set; } = OnnxGraphBuilder.DefaultOpsetVersion;

    /// <summary>The graph's name (default <c>"main"</c>).</summary>
    public string GraphName { get; set; } = "main";

    /// <summary>A description stored as the model's <c>doc_string</c>, or null.</summary>
    public string? DocString { get; set; }

    /// <summary>Model metadata properties to store (ONNX <c>metadata_props</c>), e.g. the training options.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
