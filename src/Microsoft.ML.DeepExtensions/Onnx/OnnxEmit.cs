using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>
/// Small pieces shared by the layers' <see cref="Layer.EmitOnnx"/> implementations: scalar constants, readable
/// initializer names derived from parameter names, and opset checks.
/// </summary>
internal static class OnnxEmit
{
    /// <summary>Adds a rank-0 float32 initializer holding <paramref name="value"/> (broadcast by element-wise ops) and returns its name.</summary>
    public static string Scalar(OnnxGraphBuilder graph, string nameHint, float value) =>
        graph.AddInitializer(nameHint, [value], []);

    /// <summary>
    /// The name prefix of a layer inside its network, read from one of its parameters: <c>"1."</c> for a
    /// parameter named <c>"1.weight"</c> with <paramref name="localName"/> <c>"weight"</c>, <c>""</c> for a
    /// layer used on its own. Returns <paramref name="fallback"/> when there is no parameter to read it from.
    /// </summary>
    public static string Prefix(Parameter? parameter, string localName, string fallback)
    {
        if (parameter is null) return fallback;
        string name = parameter.Name ?? "";
        return name.EndsWith(localName, StringComparison.Ordinal) ? name[..^localName.Length] : fallback;
    }

    /// <summary>Throws when the graph's opset is older than the first one with the operators <paramref name="layer"/> emits.</summary>
    /// <exception cref="NotSupportedException">The graph's opset is below <paramref name="minimum"/>.</exception>
    public static void RequireOpset(OnnxGraphBuilder graph, int minimum, Layer layer, string operators)
    {
        if (graph.OpsetVersion < minimum)
            throw new NotSupportedException(
                $"{layer.Name} exports with {operators}, which need ONNX opset {minimum} or later; the graph uses opset {graph.OpsetVersion}. " +
                $"Export with OnnxExportOptions.OpsetVersion >= {minimum} (the default is {OnnxGraphBuilder.DefaultOpsetVersion}).");
    }

    /// <summary>
    /// Reshapes <paramref name="value"/> to <c>[-1, *rowShape]</c>: a batch of examples of <paramref name="rowShape"/>
    /// (e.g. a flat <c>[N, C·H·W]</c> column back to <c>[N, C, H, W]</c>), and returns the reshaped value.
    /// </summary>
    public static string ReshapeBatch(OnnxGraphBuilder graph, string value, ReadOnlySpan<int> rowShape, string nameHint = "shape")
    {
        ArgumentNullException.ThrowIfNull(graph);
        var target = new long[rowShape.Length + 1];
        target[0] = -1;
        for (int i = 0; i < rowShape.Length; i++) target[i + 1] = rowShape[i];
        return graph.Apply("Reshape", [value, graph.AddInt64Initializer(nameHint, target)]);
    }

    /// <summary>
    /// Publishes <paramref name="slotNames"/> as the slot names of the ML.NET column <paramref name="columnName"/> that
    /// ML.NET's <c>OnnxTransformer</c> makes from a graph output of that name: an <c>ai.onnx.ml</c> <c>LabelEncoder</c>
    /// node named <c>mlnet.{columnName}.SlotNames</c> whose <c>keys_strings</c> are the names (the convention of ML.NET's
    /// own ONNX export; the node's output is not used).
    /// </summary>
    public static void SlotNames(OnnxGraphBuilder graph, string columnName, IReadOnlyList<string> slotNames)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(slotNames);
        graph.ImportOpset("ai.onnx.ml", 3);
        string names = graph.AddStringInitializer(columnName + "_slot_names", slotNames);
        var indices = new long[slotNames.Count];
        for (int i = 0; i < indices.Length; i++) indices[i] = i;
        graph.AddNode("LabelEncoder", [names], [graph.UniqueName(columnName + "_slot_index")],
            [OnnxAttribute.Strings("keys_strings", slotNames), OnnxAttribute.Ints("values_int64s", indices), OnnxAttribute.Int("default_int64", -1)],
            name: $"mlnet.{columnName}.SlotNames", domain: "ai.onnx.ml");
    }
}
