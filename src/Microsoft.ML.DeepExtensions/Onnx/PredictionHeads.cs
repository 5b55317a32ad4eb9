namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>
/// The task-specific outputs added on top of a network's raw output ("logits") in an exported ONNX graph. Every
/// output keeps the batch dimension and has rank 2 (<c>[N, 1]</c> for scalars), because ML.NET's
/// <c>OnnxTransformer</c> cannot read rank-0 outputs.
/// </summary>
/// <remarks>
/// <see cref="Binary"/>, <see cref="Multiclass"/> and <see cref="Regression"/> declare graph outputs named after the
/// ML.NET columns. The <c>Emit…</c> methods compute the same values into names the caller chooses (fresh names, or
/// graph outputs declared beforehand), for graphs that continue after the head or name their outputs differently.
/// </remarks>
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
        graph.AddOutput(Probability, [1]);
        graph.AddOutput(PredictedLabel, [1], OnnxElementType.Bool);
        EmitBinary(graph, logit, Score, Probability, PredictedLabel);
    }

    /// <summary>Computes the binary head of <see cref="Binary"/> into the values <paramref name="score"/>, <paramref name="probability"/> and <paramref name="predictedLabel"/>.</summary>
    public static void EmitBinary(OnnxGraphBuilder graph, string logit, string score, string probability, string predictedLabel)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.AddNode("Identity", [logit], [score]);
        graph.AddNode("Sigmoid", [logit], [probability]);
        string zero = graph.AddInitializer("zero", [0f], []);
        graph.AddNode("Greater", [logit, zero], [predictedLabel]);
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
        graph.AddOutput(PredictedLabel, [1], OnnxElementType.Int64);
        EmitMulticlass(graph, logits, classCount, classNames, Score, PredictedLabel);
    }

    /// <summary>
    /// Computes the multiclass head of <see cref="Multiclass"/> into the values <paramref name="score"/> and
    /// <paramref name="predictedLabel"/>. The class names, when given, become the slot names of the ML.NET column <c>Score</c>.
    /// </summary>
    public static void EmitMulticlass(OnnxGraphBuilder graph, string logits, int classCount, IReadOnlyList<string>? classNames, string score, string predictedLabel)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.AddNode("Softmax", [logits], [score], [OnnxAttribute.Int("axis", -1)]);
        graph.AddNode("ArgMax", [logits], [predictedLabel], [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1), OnnxAttribute.Int("select_last_index", 0)]);
        if (classNames is null) return;
        if (classNames.Count != classCount)
            throw new ArgumentException($"{classNames.Count} class names for {classCount} classes.", nameof(classNames));
        graph.SetMetadata("class_names", System.Text.Json.JsonSerializer.Serialize(classNames));
        OnnxEmit.SlotNames(graph, Score, classNames);
    }

    /// <summary>Regression: <c>Score = y</c> (float <c>[N, 1]</c>).</summary>
    /// <param name="graph">The graph.</param>
    /// <param name="output">The network's output, float <c>[N, 1]</c>.</param>
    public static void Regression(OnnxGraphBuilder graph, string output)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.AddOutput(Score, [1]);
        EmitRegression(graph, output, Score);
    }

    /// <summary>Computes the regression head of <see cref="Regression"/> into the value <paramref name="score"/>.</summary>
    public static void EmitRegression(OnnxGraphBuilder graph, string output, string score)
    {
        ArgumentNullException.ThrowIfNull(graph);
        graph.AddNode("Identity", [output], [score]);
    }
}
