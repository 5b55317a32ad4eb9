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
}
