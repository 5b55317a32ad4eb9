using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>
/// Recurrent networks exported with <see cref="OnnxExporter"/> (symbolic batch and time dimensions, a <c>lengths</c>
/// input when the network has <see cref="SequenceLengths"/>) and run by ONNX Runtime compute the engine's inference
/// forward within 1e-4, for batch sizes 1, 3, 64 and sequence lengths 1, 5, 40 (per-example lengths drawn in [0, T],
/// with the full length and an empty sequence included).
/// </summary>
[TestClass]
public sealed class RecurrentOnnxParityTests
{
    private const double Rel = 1e-4, Abs = 1e-5;
    private static readonly int[] BatchSizes = [1, 3, 64];
    private static readonly int[] Steps = [1, 5, 40];
    private const int Features = 5, Hidden = 8;

    [TestMethod]
    [DataRow("LSTM", 1, false, false)]
    [DataRow("LSTM", 1, false, true)]
    [DataRow("LSTM", 2, true, true)]
    [DataRow("GRU", 1, false, false)]
    [DataRow("GRU", 2, true, true)]
    [DataRow("GRU", 1, true, true)]
    [DataRow("RNN", 2, true, true)]
    [DataRow("RNN-relu", 1, false, true)]
    [DataRow("RNN-relu", 2, true, false)]
    public void RecurrentLayerMatchesEngine(string cell, int layers, bool bidirectional, bool variableLengths)
    {
        var lengths = variableLengths ? new SequenceLengths() : null;
        RecurrentLayer rnn = cell switch
        {
            "LSTM" => new LSTM(Features, Hidden, layers, bidirectional: bidirectional, dropout: layers > 1 ? 0.3f : 0f),
            "GRU" => new GRU(Features, Hidden, layers, bidirectional: bidirectional),
            "RNN" => new RNN(Features, Hidden, layers, bidirectional: bidirectional),
            _ => new RNN(Features, Hidden, layers, RnnNonlinearity.ReLU, bidirectional: bidirectional),
        };
        rnn.Lengths = lengths;
        rnn.Initialize(new Rng(3));
        AssertParity(rnn, lengths, [-1, Features], ["T", null], ["T", null], $"{rnn.Name}");
    }

    [TestMethod]
    [DataRow(SequencePoolingMode.Last, "input")]
    [DataRow(SequencePoolingMode.Mean, "input")]
    [DataRow(SequencePoolingMode.Last, "padding")]
    [DataRow(SequencePoolingMode.Mean, "padding")]
    [DataRow(SequencePoolingMode.Last, "none")]
    [DataRow(SequencePoolingMode.Mean, "none")]
    public void TextClassifierWithEmbeddingAndPoolingMatchesEngine(SequencePoolingMode mode, string lengthSource)
    {
        // "input": lengths are a second graph input; "padding": the Embedding derives them from trailing padding
        // tokens (in the engine and in the graph); "none": every sequence is full length.
        var lengths = lengthSource == "none" ? null : new SequenceLengths();
        var net = new Sequential(
            new Embedding(20, Features, paddingIdx: 0) { Lengths = lengthSource == "padding" ? lengths : null },
            new LSTM(Features, Hidden, bidirectional: true) { Lengths = lengths },
            new GRU(2 * Hidden, Hidden, bidirectional: true) { Lengths = lengths },
            new SequencePooling(mode, bidirectional: true) { Lengths = lengths },
            new Linear(2 * Hidden, 3));
        net.Initialize(new Rng(4));
        AssertParity(net, lengths, [-1], ["T"], null, $"Embedding→LSTM→GRU→{mode} pooling→Linear, lengths: {lengthSource}",
            tokens: 20, lengthsFromPadding: lengthSource == "padding");
    }

    [TestMethod]
    public void UnidirectionalLastStepPoolingMatchesEngine()
    {
        var lengths = new SequenceLengths();
        var net = new Sequential(new RNN(Features, Hidden) { Lengths = lengths }, new SequencePooling(SequencePoolingMode.Last) { Lengths = lengths });
        net.Initialize(new Rng(5));
        AssertParity(net, lengths, [-1, Features], ["T", null], null, "RNN→Last pooling");
    }

    [TestMethod]
    public void ExportDeclaresTheLengthsInputOnceAndUsesOnnxRecurrentOperators()
    {
        var lengths = new SequenceLengths("seq_len");
        var net = new Sequential(new LSTM(3, 4, numLayers: 2, bidirectional: true) { Lengths = lengths },
            new SequencePooling(SequencePoolingMode.Mean, bidirectional: true) { Lengths = lengths });
        var graph = OnnxExporter.Export(net, [6, 3]);
        graph.InputNames.Should().Equal("input", "seq_len");
        var model = graph.BuildModel();
        var lstmNodes = model.Graph.Node.Where(n => n.OpType == "LSTM").ToArray();
        lstmNodes.Should().HaveCount(2, "one ONNX LSTM node per layer");
        lstmNodes.Should().OnlyContain(n => n.Input.Count == 5 && n.Input[4] == "seq_len");
        lstmNodes[0].Attribute.Single(a => a.Name == "direction").S.ToStringUtf8().Should().Be("bidirectional");
        model.Graph.Initializer.Single(i => i.Name == "0.W_l1").Dims.Should().Equal(2, 16, 8);

        var plain = OnnxExporter.Export(new GRU(3, 4), [6, 3]);
        plain.InputNames.Should().Equal("input");
        plain.BuildModel().Graph.Node.Single(n => n.OpType == "GRU").Attribute.Single(a => a.Name == "linear_before_reset").I.Should().Be(1);
    }

    private static void AssertParity(Layer net, SequenceLengths? lengths, int[] row, string?[] inputNames, string?[]? outputNames, string what,
        int tokens = 0, bool lengthsFromPadding = false)
    {
        int[] exportRow = row.Select(d => d < 0 ? 5 : d).ToArray();
        byte[] model = OnnxExporter.ExportBytes(net, exportRow, new OnnxExportOptions { InputDimensionNames = inputNames, OutputDimensionNames = outputNames });
        using var session = new InferenceSession(model);
        var rng = new Rng(2024);
        foreach (int n in BatchSizes)
            foreach (int steps in Steps)
            {
                int[] shape = [n, .. row.Select(d => d < 0 ? steps : d)];
                int[] lengthsOf = new int[n];
                for (int b = 0; b < n; b++) lengthsOf[b] = b == 0 ? steps : b == 1 ? 0 : rng.NextInt(steps + 1);
                Tensor x = tokens > 0 ? Tokens(rng, shape, tokens, lengthsFromPadding ? lengthsOf : null) : TestTensors.Uniform(rng, shape);
                if (lengths is not null && !lengthsFromPadding) lengths.Set(lengthsOf);
                float[] expected = net.Forward(x, training: false).Span.ToArray();
                if (lengthsFromPadding) lengths!.Values.ToArray().Should().Equal(lengthsOf, "the Embedding derives the lengths from the padding");
                int[] expectedShape = [n, .. net.GetOutputShape(shape.AsSpan(1))];
                session.InputMetadata.Count.Should().Be(lengths is null || lengthsFromPadding ? 1 : 2);
                var (actualShape, actual) = Run(session, x, lengths is null || lengthsFromPadding ? null : lengthsOf);
                actualShape.Should().Equal(expectedShape.Select(d => (long)d), $"{what}, N={n}, T={steps}: output shape");
                actual.Should().OnlyContain(v => float.IsFinite(v), $"{what}, N={n}, T={steps}");
                TensorAssert.Close(actual, expected, Rel, Abs, $"{what}, N={n}, T={steps}");
            }
    }

    /// <summary>Random tokens; with <paramref name="lengths"/>, tokens 1.. at valid steps and the padding index 0 after them.</summary>
    private static Tensor Tokens(Rng rng, int[] shape, int vocabulary, int[]? lengths)
    {
        var t = new Tensor(shape);
        int steps = shape[1];
        for (int i = 0; i < t.Length; i++)
            t[i] = lengths is null ? rng.NextInt(vocabulary) : i % steps < lengths[i / steps] ? 1 + rng.NextInt(vocabulary - 1) : 0;
        return t;
    }

    private static (long[] Shape, float[] Data) Run(InferenceSession session, Tensor x, int[]? lengths)
    {
        var names = new List<string> { "input" };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(x.Span.ToArray(), x.Shape.ToArray().Select(d => (long)d).ToArray()) };
        if (lengths is not null)
        {
            names.Add(session.InputMetadata.Keys.Single(k => k != "input"));
            values.Add(OrtValue.CreateTensorValueFromMemory(lengths, [lengths.Length]));
        }
        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, names, values, ["output"]);
            return (outputs[0].GetTensorTypeAndShape().Shape, outputs[0].GetTensorDataAsSpan<float>().ToArray());
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }
}
