using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>A sequence row: <c>Features</c> (variable size unless the schema fixes it), a lengths column and labels of every task.</summary>
public sealed class SequenceRow
{
    public float[] Features { get; set; } = [];

    public float Length { get; set; }

    public float Label { get; set; }

    public bool Positive { get; set; }
}

/// <summary>A text row for token pipelines.</summary>
public sealed class TextRow
{
    public string Text { get; set; } = "";

    public bool Label { get; set; }
}

/// <summary>
/// Sequence data for the recurrent trainer tests: synthetic variable-length series with learnable labels, the shipped
/// sentiment sentences, and engine-side scoring helpers.
/// </summary>
internal static class SequenceTestData
{
    /// <summary>
    /// <paramref name="rows"/> series of 1..<paramref name="maxSteps"/> steps of <paramref name="features"/> values in
    /// [-1, 1): <c>Label</c> = the mean of feature 0 over the steps, <c>Positive</c> = whether the last step's feature 0 is
    /// positive, <c>Length</c> = the number of steps.
    /// </summary>
    public static List<SequenceRow> Series(int rows, int features, int maxSteps, int seed)
    {
        var random = new Random(seed);
        var list = new List<SequenceRow>(rows);
        for (int i = 0; i < rows; i++)
        {
            int steps = 1 + random.Next(maxSteps);
            var x = new float[steps * features];
            for (int j = 0; j < x.Length; j++) x[j] = (float)(2 * random.NextDouble() - 1);
            double mean = 0;
            for (int t = 0; t < steps; t++) mean += x[t * features];
            list.Add(new SequenceRow { Features = x, Length = steps, Label = (float)(mean / steps), Positive = x[(steps - 1) * features] > 0 });
        }
        return list;
    }

    /// <summary>Loads rows with a variable-size <c>Features</c> vector.</summary>
    public static IDataView Variable(MLContext ml, IEnumerable<SequenceRow> rows) => ml.Data.LoadFromEnumerable(rows.ToList());

    /// <summary>Loads rows zero-padded to a known-size <c>Features</c> vector of <paramref name="size"/> values (the <c>Length</c> column tells the valid steps).</summary>
    public static IDataView Padded(MLContext ml, IEnumerable<SequenceRow> rows, int size)
    {
        var schema = SchemaDefinition.Create(typeof(SequenceRow));
        schema[nameof(SequenceRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        return ml.Data.LoadFromEnumerable(rows.Select(r =>
        {
            var padded = new float[size];
            r.Features.AsSpan(0, Math.Min(size, r.Features.Length)).CopyTo(padded);
            return new SequenceRow { Features = padded, Length = r.Length, Label = r.Label, Positive = r.Positive };
        }).ToList(), schema);
    }

    /// <summary>Lower-case words without punctuation → <c>Tokens</c> keys.</summary>
    public static IEstimator<ITransformer> Tokenize(MLContext ml) =>
        ml.Transforms.Text.NormalizeText("Text", keepPunctuations: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Text"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Tokens"));

    /// <summary>
    /// The engine's inference output for a batch of sequences <paramref name="x"/> (<c>(N, T, F)</c> or token
    /// <c>(N, T)</c>), with <paramref name="lengths"/> set on the network's lengths object when it has one.
    /// </summary>
    public static float[] EngineForward(Sequential network, Tensor x, int[]? lengths)
    {
        var shared = network.Layers.OfType<RecurrentLayer>().Select(r => r.Lengths).FirstOrDefault(l => l is not null);
        if (shared is not null && lengths is not null && network.Layers[0] is not Embedding) shared.Set(lengths);
        return network.Forward(x, training: false).Span.ToArray();
    }

    /// <summary>A tensor <c>(N, T, F)</c> holding <paramref name="sequences"/> (each <c>steps·F</c> values) zero-padded to <paramref name="steps"/>.</summary>
    public static Tensor Batch(IReadOnlyList<float[]> sequences, int steps, int features)
    {
        var x = new Tensor(sequences.Count, steps, features);
        for (int i = 0; i < sequences.Count; i++)
            sequences[i].AsSpan(0, Math.Min(sequences[i].Length, steps * features)).CopyTo(x.Span.Slice(i * steps * features));
        return x;
    }
}
