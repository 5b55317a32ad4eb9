using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Tests.Trainers;
using Microsoft.ML.DeepExtensions.Tests.Transforms;
using Microsoft.ML.DeepExtensions.Transforms;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>
/// <see cref="DeepExtensionsOnnx"/>: a fitted chain of normalizers and a trainer exports as one ONNX graph (preprocessing
/// and network) whose outputs, run by ONNX Runtime on the raw features, equal the ML.NET pipeline's within 1e-5 for
/// batches of 1, 7 and 256 rows; other steps are skipped when nothing exported reads them, and fail clearly otherwise.
/// </summary>
[TestClass]
public sealed class PipelineOnnxExportTests
{
    private const double Rel = 1e-5, Abs = 1e-5;

    [TestMethod]
    public void StandardizeAndMlpExportAsOneGraphThatScoresLikeThePipeline()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Wine(ml);
        using var model = NormalizerPipelineTests.WinePipeline(ml, epochs: 10).Fit(data);
        using var folder = new PrivateFolder();
        string path = folder.File("wine.onnx");
        DeepExtensionsOnnx.Export(model, data.Schema, path);

        using var session = new InferenceSession(path);
        session.InputMetadata.Keys.Should().Equal(["Features"], "the label mapping is skipped: no exported step reads the label");
        session.OutputMetadata.Keys.Should().Equal(["Features.output", "Score", "PredictedLabel"]);
        session.ModelMetadata.CustomMetadataMap["class_names"].Should().Be("[\"2\",\"0\",\"1\"]");

        var scored = model.Transform(data);
        var features = Column(data);
        var normalized = Column(scored);
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var labels = scored.GetColumn<uint>("PredictedLabel").ToArray();
        foreach (int batch in new[] { 1, 7, 178 })
        {
            var outputs = Run(session, "Features", features.Take(batch).SelectMany(r => r).ToArray(), batch, 13);
            TensorAssert.Close(outputs["Features.output"].Floats, normalized.Take(batch).SelectMany(r => r).ToArray(), Rel, Abs, $"normalized features, batch {batch}");
            TensorAssert.Close(outputs["Score"].Floats, scores.Take(batch).SelectMany(r => r).ToArray(), Rel, Abs, $"Score, batch {batch}");
            outputs["PredictedLabel"].Longs.Should().Equal(labels.Take(batch).Select(k => (long)k - 1), $"PredictedLabel is the class index (batch {batch})");
        }
    }

    [TestMethod]
    public void ScaleMinMaxAndBinaryMlpExportAsOneGraph()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.BreastCancer(ml);
        using var model = ml.Transforms.ScaleMinMax("Features", lowerBound: -1, upperBound: 1)
            .Append(ml.BinaryClassification.Trainers.Mlp(MlpTestTasks.BinaryOptions(epochs: 5))).Fit(data);
        using var stream = new MemoryStream();
        DeepExtensionsOnnx.Export(model, data.Schema, stream, outputColumnNames: ["Score", "Probability", "PredictedLabel"]);
        using var session = new InferenceSession(stream.ToArray());
        session.OutputMetadata.Keys.Should().Equal(["Score", "Probability", "PredictedLabel"]);

        var scored = model.Transform(data);
        var rows = Column(data).Take(256).ToArray();
        var outputs = Run(session, "Features", rows.SelectMany(r => r).ToArray(), rows.Length, 30);
        TensorAssert.Close(outputs["Score"].Floats, scored.GetColumn<float>("Score").Take(256).ToArray(), Rel, Abs, "Score");
        TensorAssert.Close(outputs["Probability"].Floats, scored.GetColumn<float>("Probability").Take(256).ToArray(), Rel, Abs, "Probability");
        outputs["PredictedLabel"].Bools.Should().Equal(scored.GetColumn<bool>("PredictedLabel").Take(256));
    }

    [TestMethod]
    public void PerChannelStandardizeAndConvNetExportAsOneGraph()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(200);
        var data = ImageView(ml, images, labels);
        using var model = NormalizerPipelineTests.ImagePipeline(ml, epochs: 1).Fit(data);
        var graph = DeepExtensionsOnnx.BuildGraph(model, data.Schema, ["Score", "PredictedLabel"]);
        using var session = new InferenceSession(graph.ToBytes());
        session.InputMetadata["Image"].Dimensions.Should().Equal([-1, 588], "the image comes in flat, as ML.NET holds it");

        var scored = model.Transform(data);
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        foreach (int batch in new[] { 1, 7, 200 })
        {
            var outputs = Run(session, "Image", images.Take(batch).SelectMany(r => r).ToArray(), batch, 588);
            TensorAssert.Close(outputs["Score"].Floats, scores.Take(batch).SelectMany(r => r).ToArray(), Rel, Abs, $"Score, batch {batch}");
        }
    }

    [TestMethod]
    public void AStepThatFeedsAnExportedStepButCannotBeExportedFailsNamingIt()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Wine(ml);
        using var model = ml.Transforms.Concatenate("Both", "Features", "Features").Append(ml.Transforms.Standardize("Both")).Fit(data);
        FluentActions.Invoking(() => DeepExtensionsOnnx.BuildGraph(model, data.Schema)).Should().Throw<NotSupportedException>()
            .WithMessage("The step ColumnConcatenatingTransformer changes column 'Both', which Standardize('Both') reads*TransformerChain<ITransformer>(normalizer, trainer)*");

        var onlyForeign = ml.Transforms.Concatenate("Both", "Features", "Features").Fit(data);
        FluentActions.Invoking(() => DeepExtensionsOnnx.BuildGraph(onlyForeign, data.Schema)).Should().Throw<NotSupportedException>().WithMessage("*no step*");
        using var standardize = ml.Transforms.Standardize("Features").Fit(data);
        FluentActions.Invoking(() => DeepExtensionsOnnx.BuildGraph(standardize, data.Schema, ["Score"])).Should().Throw<ArgumentException>().WithMessage("*'Score' is not computed*write: Features*");
    }

    [TestMethod]
    public void AStandaloneNormalizerSubChainExportsWithItsOwnSchema()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Wine(ml);
        using var model = ml.Transforms.Concatenate("Both", "Features", "Features")
            .Append(ml.Transforms.Standardize("Both")).Append(ml.Transforms.ScaleMinMax("Both")).Fit(data);
        var afterConcatenate = model.Take(1).Single().GetOutputSchema(data.Schema);
        var tail = new TransformerChain<ITransformer>(model.Skip(1).ToArray());
        using var session = new InferenceSession(DeepExtensionsOnnx.BuildGraph(tail, afterConcatenate).ToBytes());
        session.InputMetadata.Keys.Should().Equal(["Both"]);
        var both = Column(model.Take(1).Single().Transform(data), "Both").Take(7).ToArray();
        var outputs = Run(session, "Both", both.SelectMany(r => r).ToArray(), 7, 26);
        TensorAssert.Close(outputs["Both.output"].Floats, Column(model.Transform(data), "Both").Take(7).SelectMany(r => r).ToArray(), Rel, Abs, "two normalizers in a row");
    }

    private sealed record Output(float[] Floats, long[] Longs, bool[] Bools);

    private static Dictionary<string, Output> Run(InferenceSession session, string input, float[] values, int batch, int width)
    {
        using var value = OrtValue.CreateTensorValueFromMemory(values, [batch, width]);
        using var runOptions = new RunOptions();
        var names = session.OutputMetadata.Keys.ToArray();
        using var outputs = session.Run(runOptions, [input], [value], names);
        var result = new Dictionary<string, Output>();
        for (int i = 0; i < names.Length; i++)
        {
            var type = outputs[i].GetTensorTypeAndShape().ElementDataType;
            result[names[i]] = type switch
            {
                TensorElementType.Float => new Output(outputs[i].GetTensorDataAsSpan<float>().ToArray(), [], []),
                TensorElementType.Int64 => new Output([], outputs[i].GetTensorDataAsSpan<long>().ToArray(), []),
                _ => new Output([], [], outputs[i].GetTensorDataAsSpan<bool>().ToArray()),
            };
        }
        return result;
    }
}
