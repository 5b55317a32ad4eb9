using Microsoft.ML.DeepExtensions.Data;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Scoring;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// The two ONNX graphs of a sequence trainer (docs/design/recurrent.md, "Trainers"): the <b>scoring graph</b> that
/// ML.NET's <c>OnnxTransformer</c> runs, whose per-example inputs have fixed sizes, and the <b>deployment graph</b>
/// that <c>SaveAsOnnx</c> writes, with symbolic batch and time dimensions.
/// </summary>
/// <remarks>
/// Token input enters both graphs as words (strings, <c>""</c> = padding) and a <c>LabelEncoder</c> (ai.onnx.ml)
/// holding the vocabulary turns them into the embedding's indices (word of key <c>k</c> → <c>k</c>; unknown words and
/// <c>""</c> → 0, the padding index).
/// </remarks>
internal static class SequenceOnnx
{
    /// <summary>The Single column (and scoring-graph input) holding the lengths column's values converted to Single.</summary>
    public const string LengthsColumn = "DxLengths";

    /// <summary>The network's output value, to which the task's heads are attached.</summary>
    public const string Logits = "logits";

    /// <summary>
    /// The scoring graph. Its first input is a flat vector <c>[N, S]</c>: the feature column itself for known-size
    /// Single input (<c>S</c> = its size), else the padding glue's column (floats, or words for tokens; <c>S</c> = the
    /// glue's size). The first <c>T·F</c> values are reshaped to <c>[N, T, F]</c> (<c>[N, T]</c> for tokens). Padded
    /// input also takes the lengths (<see cref="LengthsColumn"/>, Single) or the glue's value count (Int32, divided by
    /// <c>F</c>), each <c>[N, 1]</c> as OnnxTransformer feeds scalars, clamped to <c>[0, T]</c>.
    /// </summary>
    /// <param name="network">The trained network.</param>
    /// <param name="info">How the feature column is read.</param>
    /// <param name="steps">The steps <c>T</c> of the training data.</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="docString">The model's description.</param>
    /// <param name="inputs">The graph's inputs, in order: the columns the chain feeds.</param>
    public static OnnxGraphBuilder Scoring(Sequential network, SequenceColumnInfo info, int steps, string featureColumnName, string docString, out string[] inputs)
    {
        bool tokens = info.Kind == SequenceInputKind.Tokens;
        int f = info.Features, rowValues = steps * f;
        int width = tokens ? SequencePadding.TokenSizeFor(rowValues) : info.IsVariableSize ? SequencePadding.SizeFor(rowValues) : info.KnownSize;
        string inputName = tokens ? SequencePadding.PaddedTokensColumn : info.IsVariableSize ? SequencePadding.PaddedColumn : featureColumnName;
        var graph = new OnnxGraphBuilder() { DocString = docString };
        var inputList = new List<string> { inputName };
        string flat = graph.AddInput(inputName, [width], tokens ? OnnxElementType.String : OnnxElementType.Float);
        if (width > rowValues)
            flat = graph.Apply("Slice", [flat, graph.AddInt64Initializer("steps_start", 0), graph.AddInt64Initializer("steps_end", rowValues), graph.AddInt64Initializer("steps_axes", 1)]);
        string x = graph.Apply("Reshape", [flat, graph.AddInt64Initializer("sequence_shape", tokens ? [-1, steps] : [-1, steps, f])]);
        if (tokens) x = LookUpWords(graph, x, info.Vocabulary!);

        if (info.Kind == SequenceInputKind.Padded)
        {
            var lengths = LengthsOf(network) ?? throw new InvalidOperationException("The network of padded sequences has no SequenceLengths.");
            bool fromColumn = info.LengthColumn is not null;
            string source = fromColumn ? LengthsColumn : SequencePadding.CountColumn;
            inputList.Add(graph.AddInput(source, [1], fromColumn ? OnnxElementType.Float : OnnxElementType.Int32));
            string value = graph.Apply("Reshape", [source, graph.AddInt64Initializer("lengths_shape", -1)]);
            value = graph.Apply("Cast", [value], OnnxAttribute.Int("to", (long)OnnxElementType.Int64));
            if (!fromColumn && f > 1)
                value = graph.Apply("Div", [value, graph.AddInt64Initializer("features_per_step", [f], [])]);
            value = graph.Apply("Min", [value, graph.AddInt64Initializer("max_steps", [steps], [])]);
            value = graph.Apply("Max", [value, graph.AddInt64Initializer("no_steps", [0], [])]);
            graph.AddNode("Cast", [value], [lengths.OnnxInputName], [OnnxAttribute.Int("to", (long)OnnxElementType.Int32)]);
        }
        int[] inputShape = tokens ? [steps] : [steps, f];
        graph.AddOutput(Logits, network.GetOutputShape(inputShape));
        string result = network.EmitOnnx(graph, x, inputShape);
        graph.AddNode("Identity", [result], [Logits]);
        inputs = inputList.ToArray();
        return graph;
    }

    /// <summary>
    /// The deployment graph of padded or token input, with symbolic <c>N</c> and <c>T</c>: input named after the
    /// feature column, float <c>[N, T, F]</c> plus <c>lengths</c> int32 <c>[N]</c> for padded Single input, or words,
    /// string <c>[N, T]</c> padded with <c>""</c>, for tokens.
    /// </summary>
    public static OnnxGraphBuilder Deployment(Sequential network, SequenceColumnInfo info, int steps, string featureColumnName, string docString)
    {
        bool tokens = info.Kind == SequenceInputKind.Tokens;
        int[] inputShape = tokens ? [steps] : [steps, info.Features];
        var graph = new OnnxGraphBuilder() { DocString = docString };
        string x = graph.AddInput(featureColumnName, inputShape, tokens ? OnnxElementType.String : OnnxElementType.Float,
            OnnxGraphBuilder.DefaultBatchDimension, tokens ? ["T"] : ["T", null]);
        if (tokens) x = LookUpWords(graph, x, info.Vocabulary!);
        graph.AddOutput(Logits, network.GetOutputShape(inputShape));
        string result = network.EmitOnnx(graph, x, inputShape);
        graph.AddNode("Identity", [result], [Logits]);
        graph.SetMetadata("sequence_input", tokens
            ? $"'{featureColumnName}': string [N, T], the words of each sequence padded at the end with \"\" (unknown words count as padding)."
            : $"'{featureColumnName}': float [N, T, {info.Features}], each sequence padded at the end; 'lengths': int32 [N], the valid steps of each sequence.");
        return graph;
    }

    /// <summary>Words → float indices of the embedding: <c>LabelEncoder</c> (vocabulary word <c>k-1</c> → <c>k</c>, anything else → 0), then <c>Cast</c>.</summary>
    private static string LookUpWords(OnnxGraphBuilder graph, string words, IReadOnlyList<string> vocabulary)
    {
        var keys = new List<string>(vocabulary.Count);
        var values = new List<long>(vocabulary.Count);
        for (int i = 0; i < vocabulary.Count; i++)
        {
            if (vocabulary[i].Length == 0) continue; // "" is padding: it stays index 0
            keys.Add(vocabulary[i]);
            values.Add(i + 1);
        }
        graph.ImportOpset("ai.onnx.ml", 3);
        string indices = graph.UniqueName("token_indices");
        graph.AddNode("LabelEncoder", [words], [indices],
            [OnnxAttribute.Strings("keys_strings", keys), OnnxAttribute.Ints("values_int64s", values.ToArray()), OnnxAttribute.Int("default_int64", 0)],
            domain: "ai.onnx.ml");
        return graph.Apply("Cast", [indices], OnnxAttribute.Int("to", (long)OnnxElementType.Float));
    }

    /// <summary>The lengths object of the network's recurrent layer, or null.</summary>
    public static SequenceLengths? LengthsOf(Sequential network) =>
        network.Layers.OfType<RecurrentLayer>().Select(r => r.Lengths).FirstOrDefault(l => l is not null);
}
