using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// A model zip saved from a ConvNet trainer (trained 1 epoch on 256 MNIST images) loads in a separate process that
/// references only Microsoft.ML, Microsoft.ML.OnnxTransformer, Microsoft.ML.OnnxRuntime and (for the stateless glue)
/// Microsoft.ML.DeepExtensions (test/Microsoft.ML.DeepExtensions.ModelLoader) and reproduces the fitted model's
/// outputs within 1e-6 with the same column types, whether the loader declares the image dimensions of the feature
/// column (<c>(1, 28, 28)</c>, as at training) or gives a flat vector of 784 values.
/// </summary>
[TestClass]
public sealed class ConvNetSavedModelSeparateProcessTests
{
    [TestMethod]
    [DataRow("multiclass", ConvNetArchitecture.LeNet5, true)]
    [DataRow("multiclass", ConvNetArchitecture.LeNet5, false)]
    [DataRow("multiclass", ConvNetArchitecture.ResNet, true)]
    [DataRow("binary", ConvNetArchitecture.LeNet5, true)]
    [DataRow("regression", ConvNetArchitecture.LeNet5, true)]
    public void SeparateProcessReproducesScoresOfSavedModel(string task, ConvNetArchitecture architecture, bool imageDimensions)
    {
        using var folder = new PrivateFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Folder("mltemp") };
        var data = ConvNetTestData.Mnist(ml, "mnist", "train", take: 256);
        ITransformer model = task switch
        {
            "multiclass" => ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options { Architecture = architecture, NumberOfEpochs = 1 }).Fit(data),
            // Binary: "is it a zero"; regression: the digit's value. Both read columns added before the saved model.
            "binary" => ml.BinaryClassification.Trainers.ConvNet(new ConvNetBinaryTrainer.Options { LabelColumnName = "IsZero", Architecture = architecture, NumberOfEpochs = 1 })
                .Fit(data = ml.Transforms.CustomMapping<DigitRow, IsZeroRow>((d, z) => z.IsZero = d.Digit == 0, null).Fit(data).Transform(data)),
            _ => ml.Regression.Trainers.ConvNet(new ConvNetRegressionTrainer.Options { LabelColumnName = "Value", Architecture = architecture, NumberOfEpochs = 1 })
                .Fit(data = ml.Transforms.Conversion.ConvertType("Value", "Digit", DataKind.Single).Fit(data).Transform(data)),
        };
        using var disposeModel = (IDisposable)model;
        string zip = folder.File("model.zip"), input = folder.File("features.bin"), output = folder.File("scores.bin");
        ml.Model.Save(model, data.Schema, zip);
        var test = ConvNetTestData.Mnist(ml, "mnist", "t10k", take: 100);
        ModelLoaderProcess.WriteFeatures(input, ConvNetTestData.Features(test));
        var expected = ModelLoaderProcess.ReadColumns(model.Transform(test));
        expected.Select(c => c.Name).Should().Equal(task switch
        {
            "binary" => ModelLoaderProcess.OutputColumns,
            "regression" => ["Score"],
            _ => ["Score", "PredictedLabel"],
        });

        ModelLoaderProcess.Run(zip, input, output, childTemp: folder.Folder("childtemp"), dimensions: imageDimensions ? [1, 28, 28] : null);

        var actual = ModelLoaderProcess.ReadScoreFile(output, out int rows);
        ModelLoaderProcess.AssertSameScores(expected, actual, rows, 100, 1e-6f, folder.Files("childtemp"));
    }

    private sealed class DigitRow
    {
        public uint Digit { get; set; }
    }

    private sealed class IsZeroRow
    {
        public bool IsZero { get; set; }
    }
}
