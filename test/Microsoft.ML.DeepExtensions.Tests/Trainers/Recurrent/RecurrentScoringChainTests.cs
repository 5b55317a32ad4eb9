using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>
/// The sequence trainers in ML.NET pipelines, for each kind of input: the scores ML.NET computes (through the padding
/// glue and OnnxTransformer) equal the engine's forward pass on each sequence alone, saved models reload and score the
/// same, and the truncation rule of <c>MaxSequenceLength</c> holds.
/// </summary>
[TestClass]
public sealed class RecurrentScoringChainTests
{
    private const float Tolerance = 1e-5f;

    private static void ShouldMatch(float[] actual, float[] expected, string what)
    {
        actual.Should().HaveSameCount(expected);
        for (int i = 0; i < actual.Length; i++)
            actual[i].Should().BeApproximately(expected[i], Tolerance + Tolerance * Math.Abs(expected[i]), $"{what}, row {i}");
    }

    /// <summary>The engine's score of each sequence alone (batch of one, its own length).</summary>
    private static float[] EngineScores(NeuralNetworkModelParameters model, IEnumerable<float[]> sequences, int features) =>
        sequences.Select(s =>
        {
            int steps = Math.Min(s.Length / features, model.InputShape[0]);
            return SequenceTestData.EngineForward(model.Network, SequenceTestData.Batch([s], Math.Max(steps, 1), features), [steps])[0];
        }).ToArray();

    [TestMethod]
    public void VariableSizeSeriesScoreLikeTheEngineAndSurviveSaveAndLoad()
    {
        var ml = new MLContext(seed: 0);
        var train = SequenceTestData.Variable(ml, SequenceTestData.Series(120, 2, 12, seed: 1));
        var options = new RecurrentRegressionTrainer.Options { FeaturesPerStep = 2, HiddenSize = 8, NumberOfEpochs = 2, Seed = 0 };
        using var model = ml.Regression.Trainers.Lstm(options).Fit(train);
        model.Model.InputShape.Should().Equal([12, 2], "padded to the longest training sequence");

        var testRows = SequenceTestData.Series(20, 2, 12, seed: 2);
        testRows.Add(new SequenceRow { Features = [], Length = 0 });
        var test = SequenceTestData.Variable(ml, testRows);
        var scores = TrainerTestData.Floats(model.Transform(test), "Score");
        scores.Should().OnlyContain(s => float.IsFinite(s), "an empty sequence has a defined score too");
        ShouldMatch(scores, EngineScores(model.Model, testRows.Select(r => r.Features), 2), "ML.NET vs engine");
        model.Transform(test).Schema.Select(c => c.Name).Should().NotContain(n => n.StartsWith("Dx"), "the chain drops its temporary columns");

        using var folder = new PrivateFolder();
        string zip = folder.File("model.zip");
        ml.Model.Save(model, train.Schema, zip);
        var loaded = new MLContext().Model.Load(zip, out _);
        try
        {
            ShouldMatch(TrainerTestData.Floats(loaded.Transform(test), "Score"), scores, "loaded vs fitted");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [TestMethod]
    public void PaddedRowsWithALengthColumnIgnoreThePadding()
    {
        var ml = new MLContext(seed: 0);
        const int f = 3, maxSteps = 10;
        var rows = SequenceTestData.Series(120, f, maxSteps, seed: 3);
        var options = new RecurrentBinaryTrainer.Options
        {
            LabelColumnName = nameof(SequenceRow.Positive), FeaturesPerStep = f, LengthColumnName = nameof(SequenceRow.Length),
            HiddenSize = 8, Bidirectional = true, NumberOfEpochs = 2, Seed = 0,
        };
        using var model = ml.BinaryClassification.Trainers.Gru(options).Fit(SequenceTestData.Padded(ml, rows, maxSteps * f));

        var testRows = SequenceTestData.Series(15, f, maxSteps, seed: 4);
        var clean = SequenceTestData.Padded(ml, testRows, maxSteps * f);
        var noisy = SequenceTestData.Padded(ml, testRows.Select(r =>
        {
            var garbage = Enumerable.Repeat(7.5f, maxSteps * f).ToArray();
            r.Features.CopyTo(garbage, 0);
            return new SequenceRow { Features = garbage, Length = r.Length };
        }), maxSteps * f);
        var scores = TrainerTestData.Floats(model.Transform(clean), "Score");
        ShouldMatch(TrainerTestData.Floats(model.Transform(noisy), "Score"), scores, "values after the valid length do not matter");
        ShouldMatch(scores, EngineScores(model.Model, testRows.Select(r => r.Features), f), "ML.NET vs engine");
    }

    [TestMethod]
    public void FixedSeriesTakeTheirShapeFromTheColumnDimensions()
    {
        var ml = new MLContext(seed: 0);
        const int steps = 6, f = 2;
        var rows = SequenceTestData.Series(90, f, steps, seed: 5).Select(r =>
        {
            var full = new float[steps * f];
            r.Features.CopyTo(full, 0);
            return new ClassRow { Features = full, Label = (uint)Math.Clamp((int)((r.Label + 1) * 1.5f), 0, 2) };
        }).ToList();
        var schema = SchemaDefinition.Create(typeof(ClassRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, steps, f);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), 3);
        var data = ml.Data.LoadFromEnumerable(rows, schema);

        using var model = ml.MulticlassClassification.Trainers.Rnn(new RecurrentMulticlassTrainer.Options { HiddenSize = 8, NumberOfEpochs = 2, Seed = 0 }).Fit(data);
        model.Model.InputShape.Should().Equal([steps, f]);
        var scored = model.Transform(data);
        var probabilities = TrainerTestData.Vectors(scored, "Score");
        var engine = rows.Select(r => Softmax(SequenceTestData.EngineForward(model.Model.Network, SequenceTestData.Batch([r.Features], steps, f), null))).ToArray();
        for (int i = 0; i < rows.Count; i++) ShouldMatch(probabilities[i], engine[i], $"probabilities of row {i}");
        TrainerTestData.Keys(scored, "PredictedLabel").Should().Equal(probabilities.Select(p => (uint)TrainerTestDataArgMax(p) + 1));
    }

    [TestMethod]
    public void MaxSequenceLengthKeepsTheFirstSteps()
    {
        var ml = new MLContext(seed: 0);
        var train = SequenceTestData.Variable(ml, SequenceTestData.Series(80, 1, 12, seed: 6));
        var options = new RecurrentRegressionTrainer.Options { MaxSequenceLength = 5, HiddenSize = 4, NumberOfEpochs = 1, Seed = 0 };
        using var model = ml.Regression.Trainers.Gru(options).Fit(train);
        model.Model.InputShape.Should().Equal([5, 1]);

        float[] longSeries = Enumerable.Range(0, 11).Select(i => MathF.Sin(i)).ToArray();
        var scores = TrainerTestData.Floats(model.Transform(SequenceTestData.Variable(ml, [new SequenceRow { Features = longSeries }, new SequenceRow { Features = longSeries[..5] }])), "Score");
        scores[0].Should().Be(scores[1], "a longer sequence keeps its first 5 steps");
        scores[0].Should().BeApproximately(EngineScores(model.Model, [longSeries[..5]], 1)[0], Tolerance);
    }

    [TestMethod]
    public void TokenKeysScoreLikeTheEngineWithUnknownWordsAsPadding()
    {
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(new[]
        {
            new TextRow { Text = "good movie really good", Label = true }, new TextRow { Text = "bad movie", Label = false },
            new TextRow { Text = "really bad acting", Label = false }, new TextRow { Text = "good acting", Label = true },
        });
        var tokens = SequenceTestData.Tokenize(ml).Fit(train);
        var options = new RecurrentBinaryTrainer.Options { FeatureColumnName = "Tokens", HiddenSize = 4, EmbeddingDimension = 3, NumberOfEpochs = 3, BatchSize = 2, Seed = 0 };
        using var model = ml.BinaryClassification.Trainers.Lstm(options).Fit(tokens.Transform(train));

        var test = tokens.Transform(ml.Data.LoadFromEnumerable(new[]
        {
            new TextRow { Text = "good movie" }, new TextRow { Text = "good zzz movie" }, new TextRow { Text = "good movie zzz qqq" },
            new TextRow { Text = "" }, new TextRow { Text = "zzz" },
        }));
        var keys = test.GetColumn<VBuffer<uint>>("Tokens").Select(k => k.DenseValues().Select(v => (float)v).ToArray()).ToArray();
        keys[1][1].Should().Be(0, "an unknown word is key 0");
        var scores = TrainerTestData.Floats(model.Transform(test), "Score");
        scores.Should().OnlyContain(s => float.IsFinite(s));
        var engine = keys.Select(k =>
        {
            var x = new Tensor(1, Math.Max(k.Length, 1));
            k.CopyTo(x.Span);
            return SequenceTestData.EngineForward(model.Model.Network, x, null)[0];
        }).ToArray();
        ShouldMatch(scores, engine, "ML.NET vs engine");
        scores[2].Should().Be(scores[0], "trailing unknown words are padding");
        scores[4].Should().Be(scores[3], "a text of unknown words is an empty sequence");
    }

    [TestMethod]
    public void WholeModelExportRefusesVariableLengthSequencesButExportsFixedOnes()
    {
        var ml = new MLContext(seed: 0);
        var variable = SequenceTestData.Variable(ml, SequenceTestData.Series(30, 1, 6, seed: 7));
        using var model = ml.Regression.Trainers.Gru(new RecurrentRegressionTrainer.Options { HiddenSize = 2, NumberOfEpochs = 1, Seed = 0 }).Fit(variable);
        var act = () => DeepExtensionsOnnx.BuildGraph(model, variable.Schema);
        act.Should().Throw<NotSupportedException>().WithMessage("*variable-length sequences*SaveAsOnnx*");

        var fixedData = SequenceTestData.Padded(ml, SequenceTestData.Series(30, 1, 6, seed: 7), 6);
        using var fixedModel = ml.Regression.Trainers.Gru(new RecurrentRegressionTrainer.Options { HiddenSize = 2, NumberOfEpochs = 1, Seed = 0 }).Fit(fixedData);
        DeepExtensionsOnnx.BuildGraph(fixedModel, fixedData.Schema).InputNames.Should().Contain("Features");
    }

    private static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        var e = logits.Select(v => MathF.Exp(v - max)).ToArray();
        float sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    private static int TrainerTestDataArgMax(float[] values) => Array.IndexOf(values, values.Max());

    public sealed class ClassRow
    {
        public float[] Features { get; set; } = [];

        public uint Label { get; set; }
    }
}
