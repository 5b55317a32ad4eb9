using System.IO.Compression;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

/// <summary>
/// SPIKE: how ML.NET 5.0.1's OnnxTransformer treats model files, temp files, shapes and rank-0 outputs
/// (findings recorded in docs/design/mlnet-chain.md).
/// </summary>
[TestClass]
public sealed class OnnxTransformerBehaviourSpikeTests
{
    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(SpikeData.Rows(8));

    [TestMethod]
    public void SavedZipEmbedsTheOnnxBytes()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string onnx = folder.File("plain.onnx"), zip = folder.File("plain.zip");
        new SpikeNetwork(1).Regression().Save(onnx);
        byte[] onnxBytes = File.ReadAllBytes(onnx);
        var model = ml.Transforms.ApplyOnnxModel(onnx).Fit(Data(ml));

        ml.Model.Save(model, Data(ml).Schema, zip);
        SpikeFolder.Export(zip);

        using var archive = ZipFile.OpenRead(zip);
        var entry = archive.Entries.Single(e => e.FullName.EndsWith("OnnxModel", StringComparison.Ordinal));
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        byte[] stored = copy.ToArray();
        stored.Length.Should().Be(onnxBytes.Length + 4, "a 32-bit length prefix and the bytes of the .onnx file");
        stored.AsSpan(4).SequenceEqual(onnxBytes).Should().BeTrue();
    }

    [TestMethod]
    public void PathOverloadRereadsTheFileAtSaveTime()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string onnx = folder.File("reg.onnx");
        new SpikeNetwork(1).Regression().Save(onnx);
        var model = ml.Transforms.ApplyOnnxModel(onnx).Fit(Data(ml));
        File.Delete(onnx);

        // Scoring still works (the session was created from the file), but Save reads the file by name again.
        model.Transform(Data(ml)).GetColumn<float[]>("Score").Should().HaveCount(8);
        var save = () => ml.Model.Save(model, Data(ml).Schema, folder.File("reg.zip"));
        save.Should().Throw<FileNotFoundException>();
    }

    [TestMethod]
    public void PathOverloadCreatesNoTempFile()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string onnx = folder.File("reg.onnx");
        new SpikeNetwork(1).Regression().Save(onnx);

        using (var model = (IDisposable)ml.Transforms.ApplyOnnxModel(onnx).Fit(Data(ml)))
            folder.TempFiles().Should().BeEmpty();
        File.Exists(onnx).Should().BeTrue("the user's file is not deleted by Dispose");
    }

    [TestMethod]
    public void StreamOverloadLeaksOneTempFilePerCallEvenAfterDispose()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        byte[] bytes = new SpikeNetwork(1).Regression().ToBytes();

        for (int i = 0; i < 2; i++)
        {
            using var stream = new MemoryStream(bytes);
            var model = ml.Transforms.ApplyOnnxModel(stream).Fit(Data(ml));
            ((IDisposable)model).Dispose();
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();

        folder.TempFiles().Should().HaveCount(2, "OnnxModel.CreateFromStream writes a temp copy with ownModelFile: false");
    }

    [TestMethod]
    public void ModelLoadTempFileIsDeletedWhenTheLoadedChainIsDisposed()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string zip = folder.File("reg.zip");
        using (var model = (IDisposable)RegressionChainSpikeTests.FitChain(ml, ml.Transforms.CopyColumns("Label", "Target").Fit(Data(ml)).Transform(Data(ml)), folder.File("reg.onnx")))
            ml.Model.Save((ITransformer)model, Data(ml).Schema, zip);
        folder.TempFiles().Should().BeEmpty();

        var loaded = ml.Model.Load(zip, out _);
        folder.TempFiles().Should().HaveCount(1, "OnnxModel.CreateFromBytes writes the embedded bytes to a temp file it owns");
        ((IDisposable)loaded).Dispose();

        folder.TempFiles().Should().BeEmpty("the temp file is opened with DeleteOnClose");
    }

    [TestMethod]
    public void RankZeroOutputCannotBeRead()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string onnx = folder.File("scalar.onnx");
        new SpikeNetwork(1).RegressionWithScalarOutput().Save(onnx);
        var scored = ml.Transforms.ApplyOnnxModel("Score", "Features", onnx).Fit(Data(ml)).Transform(Data(ml));

        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single, "the schema promises a scalar");
        var read = () => scored.GetColumn<float>("Score").ToArray();
        // ...but its getter calls NamedOnnxValue.AsEnumerable<NamedOnnxValue>() on a tensor (null) and Select throws.
        read.Should().Throw<InvalidOperationException>().WithInnerException<ArgumentNullException>().WithMessage("*source*");
    }

    [TestMethod]
    public void InputNamedInputNeedsACopyOfTheFeaturesColumn()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string onnx = folder.File("reg.onnx");
        new SpikeNetwork(1).Regression(inputName: "input").Save(onnx);

        var direct = () => ml.Transforms.ApplyOnnxModel("Score", "Features", onnx).Fit(Data(ml));
        direct.Should().Throw<ArgumentOutOfRangeException>("ApplyOnnxModel's input column names are the ONNX input names")
            .WithMessage("*Features, does not exist in the ONNX model*");

        var scored = ml.Transforms.CopyColumns("input", "Features")
            .Append(ml.Transforms.ApplyOnnxModel("Score", "input", onnx))
            .Append(ml.Transforms.DropColumns("input"))
            .Fit(Data(ml)).Transform(Data(ml));
        scored.Schema.GetColumnOrNull("input").Should().BeNull();
        scored.GetColumn<float[]>("Score").Should().HaveCount(8);
    }

    [TestMethod]
    public void PredictionEngineAcceptsFixedSizeVectorFieldForTwoDimensionalScore()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string onnx = folder.File("mc.onnx");
        new SpikeNetwork(3).Multiclass(SpikeData.KeyOrder).Save(onnx);
        var model = ml.Transforms.ApplyOnnxModel("Score", "Features", onnx).Fit(Data(ml));

        using var engine = ml.Model.CreatePredictionEngine<SpikeRow, FixedScore>(model);

        engine.Predict(SpikeData.Rows(1)[0]).Score.Should().HaveCount(3);
    }

    /// <summary>Score declared as a fixed-size 1-D vector while OnnxTransformer's column has dimensions (1, 3).</summary>
    public sealed class FixedScore
    {
        /// <summary>Probabilities.</summary>
        [VectorType(3)]
        public float[] Score { get; set; } = [];
    }
}
