using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.OnnxRuntime;
using TensorElementType = Microsoft.ML.OnnxRuntime.Tensors.TensorElementType;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// The ONNX file written by <c>SaveAsOnnx</c>, scored directly by ONNX Runtime (<c>InferenceSession</c>), equals the
/// engine's forward pass of the trained network (<c>Model.Network.Forward(x, training: false)</c>, as the graph's
/// <c>logits</c> output and through the head: sigmoid / softmax / argmax) within 1e-5, for batches of 1, 7 and 256 rows, on all three tasks, with and without
/// BatchNorm1d + Dropout (which must be in inference mode in the graph).
/// </summary>
[TestClass]
public sealed class MlpOnnxRuntimeParityTests
{
    private const double Tolerance = 1e-5;

    [TestMethod]
    [DataRow("binary", false)]
    [DataRow("binary", true)]
    [DataRow("multiclass", false)]
    [DataRow("multiclass", true)]
    [DataRow("regression", false)]
    [DataRow("regression", true)]
    public void OnnxRuntimeScoresEqualEngineForwardPass(string task, bool batchNormAndDropout)
    {
        using var folder = new PrivateFolder();
        var ml = new MLContext(seed: 0);
        var (data, model) = Fit(ml, task, batchNormAndDropout);
        using var disposeModel = (IDisposable)model;
        var transformer = (NeuralPredictionTransformer)model.Last();
        if (batchNormAndDropout)
            transformer.Model.Network.Name.Should().Contain("BatchNorm1d").And.Contain("Dropout", "precondition");
        string path = folder.File("model.onnx");
        transformer.SaveAsOnnx(path);
        folder.Files().Should().Equal(["model.onnx"], "SaveAsOnnx leaves no temporary file beside the model");

        var rows = MlpTestTasks.Features(MlpPermutationFeatureImportanceTests.TrainerInput(model, data));
        int width = rows[0].Length;
        // Regression outputs are in target units: the network ends with Rescaling (y = 77·z + 152 on diabetes), so a
        // score near 0 is the difference of two numbers near 152 whose float32 rounding alone is ~1.5e-5. They are
        // compared relative to the target's scale (mean |y|); everything else relative to max(1, |value|).
        double scale = task == "regression" ? data.GetColumn<float>("Label").Average(v => Math.Abs((double)v)) : 1;
        using var session = new InferenceSession(path);
        session.InputMetadata.Keys.Should().Equal(["Features"]);
        foreach (int batch in new[] { 1, 7, 256 })
        {
            float[] x = Batch(rows, batch, seed: batch);
            var logits = Forward(transformer.Model.Network, x, batch, width);
            var outputs = Run(session, x, batch, width);
            outputs["logits"].Shape.Should().Equal([batch, task == "multiclass" ? 3 : 1]);
            for (int i = 0; i < logits.Length; i++) Close(outputs["logits"].Floats![i], logits[i], $"logits[{i}] (batch {batch})", scale);
            switch (task)
            {
                case "binary": CheckBinary(outputs, logits, batch); break;
                case "multiclass": CheckMulticlass(outputs, logits, batch, classes: 3); break;
                default: CheckRegression(outputs, logits, batch, scale); break;
            }
        }
    }

    private static (IDataView Data, IEnumerable<ITransformer> Model) Fit(MLContext ml, string task, bool bnDropout)
    {
        switch (task)
        {
            case "binary":
            {
                var o = MlpTestTasks.BinaryOptions();
                (o.BatchNormalization, o.DropoutRate) = (bnDropout, bnDropout ? 0.2f : 0f);
                var data = MlpTestTasks.BreastCancer(ml);
                return (data, MlpTestTasks.Binary(ml, o).Fit(data));
            }
            case "multiclass":
            {
                var o = MlpTestTasks.MulticlassOptions();
                (o.BatchNormalization, o.DropoutRate) = (bnDropout, bnDropout ? 0.2f : 0f);
                var data = MlpTestTasks.Iris(ml);
                return (data, MlpTestTasks.IrisMulticlass(ml, o).Fit(data));
            }
            default:
            {
                var o = MlpTestTasks.RegressionOptions();
                (o.BatchNormalization, o.DropoutRate) = (bnDropout, bnDropout ? 0.2f : 0f);
                var data = MlpTestTasks.Diabetes(ml);
                return (data, MlpTestTasks.Regression(ml, o).Fit(data));
            }
        }
    }

    /// <summary><paramref name="batch"/> rows: the data's rows in turn, each plus N(0, 0.1²) noise (so no two rows are equal).</summary>
    private static float[] Batch(float[][] rows, int batch, int seed)
    {
        var random = new Random(seed);
        int width = rows[0].Length;
        var x = new float[batch * width];
        for (int i = 0; i < batch; i++)
            for (int j = 0; j < width; j++)
                x[i * width + j] = rows[i % rows.Length][j] + 0.1f * (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        return x;
    }

    /// <summary>The engine's raw output (logits, or the prediction) for the batch, copied out of the network's buffer.</summary>
    private static float[] Forward(Sequential network, float[] x, int batch, int width) =>
        network.Forward(new Tensor((float[])x.Clone(), batch, width), training: false).Span.ToArray();

    private sealed record Output(long[] Shape, float[]? Floats, long[]? Longs, bool[]? Bools);

    private static Dictionary<string, Output> Run(InferenceSession session, float[] x, int batch, int width)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(x, [batch, width]);
        var names = session.OutputMetadata.Keys.ToArray();
        using var runOptions = new RunOptions();
        using var results = session.Run(runOptions, ["Features"], [input], names);
        var outputs = new Dictionary<string, Output>();
        for (int i = 0; i < names.Length; i++)
        {
            var info = results[i].GetTensorTypeAndShape();
            outputs[names[i]] = info.ElementDataType switch
            {
                TensorElementType.Float => new Output(info.Shape, results[i].GetTensorDataAsSpan<float>().ToArray(), null, null),
                TensorElementType.Int64 => new Output(info.Shape, null, results[i].GetTensorDataAsSpan<long>().ToArray(), null),
                TensorElementType.Bool => new Output(info.Shape, null, null, results[i].GetTensorDataAsSpan<bool>().ToArray()),
                var t => throw new AssertFailedException($"Unexpected output type {t} of {names[i]}."),
            };
        }
        return outputs;
    }

    private static void CheckBinary(Dictionary<string, Output> outputs, float[] logits, int batch)
    {
        outputs.Keys.Should().BeEquivalentTo(["logits", "Score", "Probability", "PredictedLabel"]);
        foreach (var o in outputs.Values) o.Shape.Should().Equal([batch, 1]);
        for (int i = 0; i < batch; i++)
        {
            double z = logits[i];
            Close(outputs["Score"].Floats![i], z, $"Score[{i}] (batch {batch})");
            Close(outputs["Probability"].Floats![i], 1 / (1 + Math.Exp(-z)), $"Probability[{i}] (batch {batch})");
            if (Math.Abs(z) > Tolerance) outputs["PredictedLabel"].Bools![i].Should().Be(z > 0, "PredictedLabel[{0}] (batch {1})", i, batch);
        }
    }

    private static void CheckMulticlass(Dictionary<string, Output> outputs, float[] logits, int batch, int classes)
    {
        outputs.Keys.Should().BeEquivalentTo(["logits", "Score", "PredictedLabel"]);
        outputs["Score"].Shape.Should().Equal([batch, classes]);
        outputs["PredictedLabel"].Shape.Should().Equal([batch, 1]);
        for (int i = 0; i < batch; i++)
        {
            var z = logits.AsSpan(i * classes, classes);
            double max = z.ToArray().Max();
            double sum = 0;
            foreach (float v in z) sum += Math.Exp(v - max);
            for (int c = 0; c < classes; c++)
                Close(outputs["Score"].Floats![i * classes + c], Math.Exp(z[c] - max) / sum, $"Score[{i}, {c}] (batch {batch})");
            var sorted = z.ToArray().OrderDescending().ToArray();
            if (sorted[0] - sorted[1] > Tolerance)
                outputs["PredictedLabel"].Longs![i].Should().Be(MlpTestTasks.ArgMax(z), "PredictedLabel[{0}] (batch {1})", i, batch);
        }
    }

    private static void CheckRegression(Dictionary<string, Output> outputs, float[] predictions, int batch, double scale)
    {
        outputs.Keys.Should().BeEquivalentTo(["logits", "Score"]);
        outputs["Score"].Shape.Should().Equal([batch, 1]);
        for (int i = 0; i < batch; i++) Close(outputs["Score"].Floats![i], predictions[i], $"Score[{i}] (batch {batch})", scale);
        predictions.Average(v => (double)v).Should().BeGreaterThan(50, "precondition: a trained regressor predicts on the target's scale (mean about 152)");
    }

    /// <summary>|actual − expected| ≤ 1e-5 · max(1, |expected|, scale): absolute for probabilities, relative for large values.</summary>
    private static void Close(float actual, double expected, string what, double scale = 1) =>
        Math.Abs(actual - expected).Should().BeLessThanOrEqualTo(Tolerance * Math.Max(Math.Max(1, scale), Math.Abs(expected)), what);
}
