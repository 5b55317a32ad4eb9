using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// A model zip saved from a pipeline ending in an MLP trainer loads in a separate process that references only
/// Microsoft.ML, Microsoft.ML.OnnxTransformer, Microsoft.ML.OnnxRuntime and (for the stateless glue)
/// Microsoft.ML.DeepExtensions, without calling any of our code (test/Microsoft.ML.DeepExtensions.ModelLoader), and
/// reproduces the fitted model's Score, Probability and PredictedLabel within 1e-6, with the same column types.
/// The loading process leaves no file of ours or ML.NET's in its temp folder.
/// </summary>
[TestClass]
public sealed class MlpSavedModelSeparateProcessTests
{
    [TestMethod]
    [DataRow("breast_cancer")]
    [DataRow("iris")]
    [DataRow("wine")]
    [DataRow("diabetes")]
    public void SeparateProcessReproducesScoresOfSavedModel(string dataset)
    {
        using var folder = new PrivateFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Folder("mltemp") };
        var (data, pipeline) = Setup(ml, dataset);
        var model = pipeline.Fit(data);
        using var disposeModel = (IDisposable)model;
        string zip = folder.File("model.zip"), input = folder.File("features.bin"), output = folder.File("scores.bin");
        ml.Model.Save(model, data.Schema, zip);
        var features = MlpTestTasks.Features(data);
        ModelLoaderProcess.WriteFeatures(input, features);
        var expected = ModelLoaderProcess.ReadColumns(model.Transform(data));
        expected.Select(c => c.Name).Should().Equal(dataset switch
        {
            "breast_cancer" => ModelLoaderProcess.OutputColumns,
            "diabetes" => ["Score"],
            _ => ["Score", "PredictedLabel"],
        });

        ModelLoaderProcess.Run(zip, input, output, childTemp: folder.Folder("childtemp"));

        var actual = ModelLoaderProcess.ReadScoreFile(output, out int rows);
        ModelLoaderProcess.AssertSameScores(expected, actual, rows, features.Length, 1e-6f, folder.Files("childtemp"));
    }

    private static (IDataView Data, IEstimator<ITransformer> Pipeline) Setup(MLContext ml, string dataset)
    {
        // Labels are converted before the saved pipeline, so the loading process needs only the Features column.
        switch (dataset)
        {
            case "breast_cancer":
                return (MlpTestTasks.BreastCancer(ml), MlpTestTasks.Binary(ml));
            case "diabetes":
                return (MlpTestTasks.Diabetes(ml), MlpTestTasks.Regression(ml));
            default:
                var raw = dataset == "iris" ? MlpTestTasks.Iris(ml) : MlpTestTasks.Wine(ml);
                var labelToKey = dataset == "iris" ? ml.Transforms.Conversion.MapValueToKey("Label") : MlpTestTasks.WineLabelToKey(ml);
                var keyed = labelToKey.Fit(raw).Transform(raw);
                return (keyed, ml.Transforms.NormalizeMeanVariance("Features").Append(ml.MulticlassClassification.Trainers.Mlp(MlpTestTasks.MulticlassOptions())));
        }
    }
}
