using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;

/// <summary>
/// The ONNX file written by <c>SaveAsOnnx</c> after training a ConvNet preset (LeNet-5, VGG, ResNet; 1 epoch on 128
/// MNIST images) and scored directly by ONNX Runtime, fed the flat <c>[N, C·H·W]</c> input the graph takes, equals
/// the engine's forward pass <c>Model.Network.Forward(x (N, C, H, W), training: false)</c> (logits, and their softmax
/// as <c>Score</c>) within 1e-4, for batches of 1 and 64 real test images. VGG and ResNet carry BatchNorm2d (and VGG
/// Dropout), which the graph must run in inference mode.
/// </summary>
[TestClass]
public sealed class ConvNetOnnxRuntimeParityTests
{
    private const double Tolerance = 1e-4;

    [TestMethod]
    [DataRow(ConvNetArchitecture.LeNet5)]
    [DataRow(ConvNetArchitecture.Vgg)]
    [DataRow(ConvNetArchitecture.ResNet)]
    public void OnnxRuntimeScoresEqualEngineForwardPass(ConvNetArchitecture architecture)
    {
        var ml = new MLContext(seed: 0);
        var train = ConvNetTestData.Mnist(ml, "mnist", "train", take: 128);
        var options = new ConvNetMulticlassTrainer.Options { Architecture = architecture, NumberOfEpochs = 1, BatchSize = 32 };
        using var model = ml.MulticlassClassification.Trainers.ConvNet(options).Fit(train);
        model.Model.InputShape.Should().Equal([1, 28, 28]);
        var images = ConvNetTestData.Rows("mnist", "t10k", take: 65).Select(r => r.Features).ToArray();
        AssertOnnxMatchesEngine(model, images, classes: 10);
    }

    /// <summary>
    /// Saves <paramref name="model"/>'s ONNX graph, runs it with ONNX Runtime on batches of 1 (the last image) and
    /// <c>images.Length − 1</c> (the others), and checks its <c>logits</c> and <c>Score</c> outputs against the engine.
    /// </summary>
    public static void AssertOnnxMatchesEngine(NeuralPredictionTransformer model, float[][] images, int classes)
    {
        using var folder = new PrivateFolder();
        string path = folder.File("model.onnx");
        model.SaveAsOnnx(path);
        using var session = new InferenceSession(path);
        session.InputMetadata.Keys.Should().Equal([model.FeatureColumnName]);
        int[] shape = model.Model.InputShape.ToArray();
        int width = shape.Aggregate(1, (a, b) => a * b);
        session.InputMetadata[model.FeatureColumnName].Dimensions[^1].Should().Be(width, "the graph takes the flat feature vector");
        foreach (var batch in new[] { images[^1..], images[..^1] })
        {
            int n = batch.Length;
            float[] x = batch.SelectMany(r => r).ToArray();
            float[] logits = model.Model.Network.Forward(new Tensor((float[])x.Clone(), [n, .. shape]), training: false).Span.ToArray();
            logits.Should().HaveCount(n * classes);
            using var input = OrtValue.CreateTensorValueFromMemory(x, [n, width]);
            using var runOptions = new RunOptions();
            using var results = session.Run(runOptions, [model.FeatureColumnName], [input], ["logits", "Score"]);
            results[0].GetTensorTypeAndShape().Shape.Should().Equal([n, classes]);
            results[1].GetTensorTypeAndShape().Shape.Should().Equal([n, classes]);
            var onnxLogits = results[0].GetTensorDataAsSpan<float>().ToArray();
            var onnxScores = results[1].GetTensorDataAsSpan<float>().ToArray();
            for (int i = 0; i < n; i++)
            {
                var z = logits.AsSpan(i * classes, classes).ToArray();
                double max = z.Max(), sum = z.Sum(v => Math.Exp(v - max));
                for (int c = 0; c < classes; c++)
                {
                    int k = i * classes + c;
                    Math.Abs((double)onnxLogits[k] - z[c]).Should().BeLessThanOrEqualTo(Tolerance * Math.Max(1, Math.Abs(z[c])), "logits[{0}, {1}] (batch {2})", i, c, n);
                    Math.Abs(onnxScores[k] - Math.Exp(z[c] - max) / sum).Should().BeLessThanOrEqualTo(Tolerance, "Score[{0}, {1}] (batch {2})", i, c, n);
                }
            }
            logits.Distinct().Count().Should().BeGreaterThan(logits.Length / 2, "precondition: the logits vary");
        }
    }
}
