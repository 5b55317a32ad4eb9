namespace Microsoft.ML.DeepExtensions.Export;

/// <summary>
/// A fitted transformer of this library that can write its scoring computation into a larger ONNX graph, so that a
/// whole model (normalizers, then a network) exports as one graph (<see cref="DeepExtensionsOnnx"/>).
/// </summary>
internal interface IOnnxExportableTransformer : ITransformer
{
    /// <summary>How messages name the step, e.g. <c>Standardize('Features')</c>.</summary>
    string DisplayName { get; }

    /// <summary>The columns the step reads.</summary>
    IReadOnlyList<string> InputColumnNames { get; }

    /// <summary>The columns the step writes (adds or replaces).</summary>
    IReadOnlyList<string> OutputColumnNames { get; }

    /// <summary>Reads the input columns from <paramref name="graph"/>, appends the step's nodes and binds its output columns.</summary>
    void EmitOnnx(OnnxColumnGraph graph);
}
