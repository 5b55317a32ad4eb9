namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>
/// The task-specific outputs added on top of a network's raw output ("logits") in an exported ONNX graph. Every
/// output keeps the batch dimension and has rank 2 (<c>[N, 1]</c> for scalars), because ML.NET's
/// <c>OnnxTransformer</c> cannot read rank-0 outputs.
/// </summary>
public static class PredictionHeads
{
    /// <summary>Output names, which are also the ML.NET column names they become.</summary>
    public const string Score = "Score", Probability = "Probability", PredictedLabel = "PredictedLabel";

    /// <summary>
    /// Binary classification: <c>Score = z</c> (the logit, float <c>[N, 1]</c>), <c>Probability = σ(z)</c>
    /// (float <c>[N, 1]</c>), <c>PredictedLabel = z &gt; 0</c> (bool <c>[N, 1]</c>).
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="logit">The network's output, float <c>[N, 1]</c>.</param>
    public static void Binary(OnnxGraphBuilder graph, string logit)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.AddOutput(Score, [1]);
        graph.AddNode("Identity", [logit], [Score]);
        graph.AddOutput(Probability, [1]);
        graph.AddNode("Sigmoid", [logit], [Probability]);
        graph.AddOutput(PredictedLabel, [1], OnnxElementType.Bool);
        string zero = graph.AddInitializer("zero", [0f], []);
        graph.AddNode("Greater", [logit, zero], [PredictedLabel]);
    }

    /// <summary>
    /// Multiclass classification: <c>Score = softmax(z)</c> over the last axis (float <c>[N, C]</c>) and
    /// <c>PredictedLabel = argmax(z)</c>, the 0-based class index (int64 <c>[N, 1]</c>; the first maximum on ties).
    /// When <paramref name="classNames"/> is given, the graph also carries them as the slot names of <c>Score</c>
    /// (a node named <c>mlnet.Score.SlotNames</c>, the convention ML.NET's <c>OnnxTransformer</c> reads) and in the
    /// model metadata <c>class_names</c> (comma-separated is ambiguous, so JSON array).
    /// </summary>
    /// <param name="graph">The graph.</param>
    /// <param name="logits">The network's output, float <c>[N, C]</c>.</param>
    /// <param name="classCount">C.</param>
    /// <param name="classNames">The class names in class-index order, or null.</param>
    public static void Multiclass(OnnxGraphBuilder graph, string logits, int classCount, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.AddOutput(Score, [classCount]);
        graph.AddNode("Softmax", [logits], [Score], [OnnxAttribute.Int("axis", -1)]);
        graph.AddOutput(PredictedLabel, [1], OnnxElementType.Int64);
        graph.AddNode("ArgMax", [logits], [PredictedLabel], [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1), OnnxAttribute.Int("select_last_index", 0)]);
        if (classNames is null) return;
        if (classNames.Count != classCount)
            throw new ArgumentException($"{classNames.Count} class names for {classCount} classes.", nameof(classNames));
        graph.SetMetadata("class_names", System.Text.Json.JsonSerializer.Serialize(classNames));
        graph.ImportOpset("ai.onnx.ml", 3);
        string names = graph.AddStringInitializer("class_names", classNames);
        var indices = new long[classCount];
        for (int i = 0; i < classCount; i++) indices[i] = i;
        graph.AddNode("LabelEncoder", [names], [graph.UniqueName("class_index")],
            [OnnxAttribute.Strings("keys_strings", classNames), OnnxAttribute.Ints("values_int64s", indices), OnnxAttribute.Int("default_int64", -1)],
            name: "mlnet.Score.SlotNames", domain: "ai.onnx.ml");
    }

    /// <summary>Regression: <c>Score = y</c> (float <c>[N, 1]</c>).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="output">The network's output, float <c>[N, 1]</c>.</param>
    public static void Regression(OnnxGraphBuilder graph, string output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.AddOutput(Score, [1]);
        graph.AddNode("Identity", [output], [Score]);
    }
}
