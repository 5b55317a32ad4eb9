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
            long flat = 1;
            var target = new long[inputShape.Length + 1];
            target[0] = -1;
            for (int i = 0; i < inputShape.Length; i++)
            {
                flat *= inputShape[i];
                target[i + 1] = inputShape[i];
            }
            string flatInput = graph.AddInput(options.InputName, [checked((int)flat)], OnnxElementType.Float, options.BatchDimension);
            input = graph.Apply("Reshape", [flatInput, graph.AddInt64Initializer("input_shape", target)]);
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

    /// <summary>Exports <paramref name="network"/> (see <see cref="Export"/>) and returns the serialized model.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX export.</exception>
    public static byte[] ExportBytes(Layer network, ReadOnlySpan<int> inputShape, OnnxExportOptions? options = null) =>
        Export(network, inputShape, options).ToBytes();
}
