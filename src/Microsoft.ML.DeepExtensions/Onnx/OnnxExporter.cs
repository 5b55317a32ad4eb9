using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>
/// Exports a network of the managed engine as an ONNX graph that computes the same function as its
/// inference-mode <see cref="Layer.Forward"/>: input <c>[N, *inputShape]</c> float32 named
/// <see cref="OnnxExportOptions.InputName"/> (<c>"input"</c>), output <c>[N, *outputShape]</c> float32 named
/// <see cref="OnnxExportOptions.OutputName"/> (<c>"output"</c>), with a symbolic batch dimension (and further
/// symbolic dimensions when <see cref="OnnxExportOptions.InputDimensionNames"/> / <see cref="OnnxExportOptions.OutputDimensionNames"/>
/// name them, e.g. the time axis of sequences).
/// </summary>
/// <remarks>
/// Each layer writes its own nodes through <see cref="Layer.EmitOnnx"/>. The returned builder can be extended
/// before saving (e.g. a <c>Softmax</c> over <c>"output"</c> as a second graph output). Layers may declare further
/// graph inputs: layers given a <see cref="SequenceLengths"/> add its <c>int32 [N]</c> lengths input (named
/// <see cref="SequenceLengths.OnnxInputName"/>, <c>"lengths"</c> by default) after the network input.
/// </remarks>
public static class OnnxExporter
{
    /// <summary>Builds the ONNX graph of <paramref name="network"/> for per-example inputs of shape <paramref name="inputShape"/>.</summary>
    /// <param name="network">The network (typically a <see cref="Sequential"/>).</param>
    /// <param name="inputShape">The per-example input shape, without the batch dimension, e.g. <c>(D)</c> or <c>(C, H, W)</c>.</param>
    /// <param name="options">Names, opset and metadata; null for the defaults.</param>
    /// <returns>A builder holding the complete graph; call <see cref="OnnxGraphBuilder.ToBytes"/> or <see cref="OnnxGraphBuilder.Save(string)"/>.</returns>
    /// <exception cref="NotSupportedException">A layer has no ONNX export.</exception>
    /// <exception cref="ArgumentException">The input shape does not fit the network, or the input and output names are equal or empty.</exception>
    public static OnnxGraphBuilder Export(Layer network, ReadOnlySpan<int> inputShape, OnnxExportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        options ??= new OnnxExportOptions();
        if (string.IsNullOrEmpty(options.InputName) || string.IsNullOrEmpty(options.OutputName) || options.InputName == options.OutputName)
            throw new ArgumentException($"The input and output need distinct, non-empty names (got '{options.InputName}' and '{options.OutputName}').", nameof(options));

        int[] outputShape = network.GetOutputShape(inputShape);
        var graph = new OnnxGraphBuilder(options.GraphName, options.OpsetVersion) { DocString = options.DocString };
        foreach (var (key, value) in options.Metadata) graph.SetMetadata(key, value);

        string input;
        if (options.FlattenInput && inputShape.Length != 1)
        {
            if (options.InputDimensionNames is not null)
                throw new ArgumentException("FlattenInput cannot be combined with symbolic input dimensions.", nameof(options));
            int flat = 1;
            foreach (int d in inputShape) flat = checked(flat * d);
            input = OnnxEmit.ReshapeBatch(graph, graph.AddInput(options.InputName, [flat], OnnxElementType.Float, options.BatchDimension), inputShape, "input_shape");
        }
        else
        {
            input = graph.AddInput(options.InputName, inputShape, OnnxElementType.Float, options.BatchDimension, options.InputDimensionNames);
        }
        // Declared before the layers emit, so that no layer can take the output's name.
        graph.AddOutput(options.OutputName, outputShape, OnnxElementType.Float, options.BatchDimension, options.OutputDimensionNames);
        string result = network.EmitOnnx(graph, input, inputShape);
        graph.AddNode("Identity", [result], [options.OutputName]);
        return graph;
    }

    /// <summary>
    /// Appends the nodes of <paramref name="network"/> to an existing graph (e.g. after a normalizer's nodes, to export a
    /// whole model as one graph) and returns the name of the value holding its output <c>[N, *outputShape]</c>.
    /// </summary>
    /// <param name="graph">The graph being built.</param>
    /// <param name="network">The network.</param>
    /// <param name="input">A value holding the input: <c>[N, *inputShape]</c>, or <c>[N, prod(inputShape)]</c> when <paramref name="flatInput"/> is true.</param>
    /// <param name="inputShape">The per-example input shape of the network.</param>
    /// <param name="flatInput">True when <paramref name="input"/> is flat (the form of ML.NET vector columns): a <c>Reshape</c> restores <c>(N, *inputShape)</c> first.</param>
    /// <exception cref="NotSupportedException">A layer has no ONNX export.</exception>
    public static string Emit(OnnxGraphBuilder graph, Layer network, string input, ReadOnlySpan<int> inputShape, bool flatInput = false)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(network);
        network.GetOutputShape(inputShape);
        if (flatInput && inputShape.Length != 1) input = OnnxEmit.ReshapeBatch(graph, input, inputShape, "input_shape");
        return network.EmitOnnx(graph, input, inputShape);
    }

    /// <summary>Exports <paramref name="network"/> (see <see cref="Export"/>) and returns the serialized model.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX export.</exception>
    public static byte[] ExportBytes(Layer network, ReadOnlySpan<int> inputShape, OnnxExportOptions? options = null) =>
        Export(network, inputShape, options).ToBytes();
}
