using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>
/// A model zip saved from a sequence trainer (fixed-length input: a known-size vector of <c>T × F</c> values, read as
/// <c>T</c> steps of <c>F</c> features) loads in a separate process that references only Microsoft.ML,
/// Microsoft.ML.OnnxTransformer, Microsoft.ML.OnnxRuntime and (for the stateless glue) Microsoft.ML.DeepExtensions
/// (test/Microsoft.ML.DeepExtensions.ModelLoader), and reproduces the fitted model's outputs within 1e-5 with the same
/// column types: an LSTM regressor behind a normalizer, a bidirectional GRU binary classifier, and a 2-layer LSTM
/// multiclass classifier whose feature column declares its dimensions <c>(T, F)</c>.
/// </summary>
[TestClass]
public sealed class RecurrentSavedModelSeparateProcessTests
{
    private const int Steps = 6, Features = 3, Classes = 3;

    [TestMethod]
    [DataRow("regression")]
    [DataRow("binary")]
    [DataRow("multiclass")]
    public void SeparateProcessReproducesScoresOfSavedSequenceModel(string task)
    {
        using var folder = new PrivateFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Folder("mltemp") };
        bool declareSteps = task == "multiclass";
        IDataView data = Load(ml, Series(160, seed: 1), declareSteps);
        ITransformer model;
        switch (task)
        {
            case "regression":
                model = ml.Transforms.NormalizeMeanVariance("Features")
                    .Append(ml.Regression.Trainers.Lstm(new RecurrentRegressionTrainer.Options { FeaturesPerStep = Features, HiddenSize = 8, NumberOfEpochs = 3, Seed = 0 }))
                    .Fit(data);
                break;
            case "binary":
                model = ml.BinaryClassification.Trainers.Gru(new RecurrentBinaryTrainer.Options
                {
                    LabelColumnName = nameof(Row.Positive), FeaturesPerStep = Features, HiddenSize = 8, Bidirectional = true, NumberOfEpochs = 3, Seed = 0,
                }).Fit(data);
                break;
            default:
                // The key label is made before the saved model, so that scoring needs only the features.
                data = ml.Transforms.Conversion.MapValueToKey(nameof(Row.Class)).Fit(data).Transform(data);
                model = ml.MulticlassClassification.Trainers.Lstm(new RecurrentMulticlassTrainer.Options
                {
                    LabelColumnName = nameof(Row.Class), HiddenSize = 8, NumberOfLayers = 2, Pooling = SequencePoolingMode.Mean, NumberOfEpochs = 3, Seed = 0,
                }).Fit(data);
                break;
        }
        using var disposeModel = (IDisposable)model;
        string zip = folder.File("model.zip"), input = folder.File("features.bin"), output = folder.File("scores.bin");
        ml.Model.Save(model, data.Schema, zip);
        var testRows = Series(50, seed: 2);
        var test = Load(ml, testRows, declareSteps);
        ModelLoaderProcess.WriteFeatures(input, testRows.Select(r => r.Features).ToArray());
        var expected = ModelLoaderProcess.ReadColumns(model.Transform(test));
        expected.Select(c => c.Name).Should().Equal(task switch
        {
            "binary" => ModelLoaderProcess.OutputColumns,
            "regression" => ["Score"],
            _ => ["Score", "PredictedLabel"],
        });

        ModelLoaderProcess.Run(zip, input, output, childTemp: folder.Folder("childtemp"), dimensions: declareSteps ? [Steps, Features] : null);

        var actual = ModelLoaderProcess.ReadScoreFile(output, out int rows);
        ModelLoaderProcess.AssertSameScores(expected, actual, rows, testRows.Count, 1e-5f, folder.Files("childtemp"));
    }

    /// <summary>
    /// Series of <see cref="Steps"/> steps × <see cref="Features"/> values in [-1, 1) with learnable labels: <c>Label</c> the
    /// mean of feature 0, <c>Positive</c> whether the last step's feature 0 is positive, <c>Class</c> which third of
    /// [-1, 1) the last step's feature 1 falls in.
    /// </summary>
    private static List<Row> Series(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new List<Row>(count);
        for (int i = 0; i < count; i++)
        {
            var x = new float[Steps * Features];
            for (int j = 0; j < x.Length; j++) x[j] = (float)(2 * random.NextDouble() - 1);
            float mean = 0;
            for (int t = 0; t < Steps; t++) mean += x[t * Features] / Steps;
            float last1 = x[(Steps - 1) * Features + 1];
            rows.Add(new Row { Features = x, Label = mean, Positive = x[(Steps - 1) * Features] > 0, Class = Math.Min(Classes - 1, (int)((last1 + 1) / 2 * Classes)) });
        }
        return rows;
    }

    /// <summary>The rows with a known-size <c>Features</c> column, flat (<c>T·F</c>) or with the dimensions <c>(T, F)</c>.</summary>
    private static IDataView Load(MLContext ml, List<Row> rows, bool declareSteps)
    {
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = declareSteps
            ? new VectorDataViewType(NumberDataViewType.Single, Steps, Features)
            : new VectorDataViewType(NumberDataViewType.Single, Steps * Features);
        return ml.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }

        public bool Positive { get; set; }

        public int Class { get; set; }
    }
}
