using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

/// <summary>
/// SPIKE: the multiclass scoring chain made of ML.NET built-ins plus one stateless glue:
/// ApplyOnnxModel(Score, PredictedLabel) -> CustomMapping(unwrap label text) -> MapValueToKey(keyData = training label key values).
/// </summary>
[TestClass]
public sealed class MulticlassChainSpikeTests
{
    private static MLContext Context(SpikeFolder folder) => new(seed: 0) { TempFilePath = folder.Temp };

    /// <summary>The training data as a trainer sees it: LabelText mapped to the key column "Label".</summary>
    private static IDataView Labelled(MLContext ml, out string[] keyValues)
    {
        var raw = ml.Data.LoadFromEnumerable(SpikeData.Rows());
        var labelled = ml.Transforms.Conversion.MapValueToKey("Label", "LabelText").Fit(raw).Transform(raw);
        var buffer = default(VBuffer<ReadOnlyMemory<char>>);
        labelled.Schema["Label"].GetKeyValues(ref buffer);
        keyValues = buffer.DenseValues().Select(v => v.ToString()).ToArray();
        return labelled;
    }

    /// <summary>What the trainer's Fit would assemble after training: the network's ONNX graph plus built-ins.</summary>
    internal static ITransformer FitChain(MLContext ml, IDataView labelled, string onnxPath, string[] keyValues)
    {
        new SpikeNetwork(keyValues.Length).Multiclass(keyValues).Save(onnxPath);
        var keyData = ml.Data.LoadFromEnumerable(keyValues.Select(v => new KeyValueRow { Value = v }));
        var chain = ml.Transforms.ApplyOnnxModel(["Score", "PredictedLabel"], ["Features"], onnxPath)
            .Append(ml.Transforms.CustomMapping<LabelTextVector, LabelTextScalar>(UnwrapLabelTextFactory.Map, UnwrapLabelTextFactory.ContractName))
            .Append(ml.Transforms.Conversion.MapValueToKey("PredictedLabel", "PredictedLabel", keyData: keyData));
        return chain.Fit(labelled);
    }

    [TestMethod]
    public void ChainOutputsScoreVectorAndPredictedLabelKeyWithTrainingKeyValues()
    {
        using var folder = new SpikeFolder();
        var ml = Context(folder);
        var labelled = Labelled(ml, out string[] keyValues);
        keyValues.Should().Equal(SpikeData.KeyOrder);

        var scored = FitChain(ml, labelled, folder.File("mc.onnx"), keyValues).Transform(labelled);

        var score = scored.Schema["Score"];
        score.Type.Should().BeOfType<VectorDataViewType>();
        var scoreType = (VectorDataViewType)score.Type;
        scoreType.ItemType.Should().Be(NumberDataViewType.Single);
        scoreType.Size.Should().Be(3);
        scoreType.Dimensions.ToArray().Should().Equal([1, 3], "OnnxTransformer maps [N, C] with symbolic N to dims (1, C)");
        var slotNames = default(VBuffer<ReadOnlyMemory<char>>);
        score.GetSlotNames(ref slotNames);
        slotNames.DenseValues().Select(v => v.ToString()).Should().Equal(keyValues);

        var predicted = scored.Schema["PredictedLabel"];
        predicted.Type.Should().Be(labelled.Schema["Label"].Type, "same Key<UInt32, 3> as Label");
        var predictedKeyValues = default(VBuffer<ReadOnlyMemory<char>>);
        predicted.GetKeyValues(ref predictedKeyValues);
        predictedKeyValues.DenseValues().Select(v => v.ToString()).Should().Equal(keyValues);

        // Every row: PredictedLabel key - 1 == argmax(Score), and Score == softmax(naive logits).
        var net = new SpikeNetwork(3);
        var scores = scored.GetColumn<float[]>("Score").ToArray();
        var keys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        var rows = SpikeData.Rows();
        for (int i = 0; i < rows.Count; i++)
        {
            double[] p = SpikeNetwork.Softmax(net.Logits(rows[i].Features));
            for (int c = 0; c < 3; c++) scores[i][c].Should().BeApproximately((float)p[c], 1e-5f);
            keys[i].Should().Be((uint)Array.IndexOf(p, p.Max()) + 1);
        }
    }

    [TestMethod]
    public void ConcatenateOfTheSingleScoreColumnIsIdentityAndKeepsDimensionsOneByC()
    {
        using var folder = new SpikeFolder();
        var ml = Context(folder);
        var labelled = Labelled(ml, out string[] keyValues);
        var scored = FitChain(ml, labelled, folder.File("mc.onnx"), keyValues).Transform(labelled);

        var concatenated = ml.Transforms.Concatenate("Score", "Score").Fit(scored).Transform(scored);

        concatenated.Schema["Score"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 1, 3),
            "ColumnConcatenatingTransformer passes a single vector source through unchanged (_isIdentity)");
    }

    [TestMethod]
    public void RankOneScoreOutputGivesTheOneDimensionalTypeOfMLNetTrainers()
    {
        // A graph variant for the chain only: Score reshaped to [C] and declared [C] (no batch dimension). Exact for
        // OnnxTransformer, which always feeds one row; not a valid batched model for other ONNX consumers.
        using var folder = new SpikeFolder();
        var ml = Context(folder);
        var labelled = Labelled(ml, out string[] keyValues);
        string onnx = folder.File("mc-rank1.onnx");
        var g = new SpikeNetwork(3).Multiclass(keyValues);
        g.AddNode("Reshape", ["Score", g.AddInt64Initializer("flat", -1L)], ["ScoreFlat"]);
        g.AddOutput("ScoreFlat", [3], batchDimension: null);
        g.Save(onnx);

        var scored = ml.Transforms.ApplyOnnxModel(["Score", "ScoreFlat"], ["Features"], onnx).Fit(labelled).Transform(labelled);

        scored.Schema["ScoreFlat"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 3));
        scored.GetColumn<float[]>("ScoreFlat").Should().BeEquivalentTo(scored.GetColumn<float[]>("Score"), o => o.WithStrictOrdering());
    }

    [TestMethod]
    public void EvaluateOnChainMatchesNaiveMetrics()
    {
        using var folder = new SpikeFolder();
        var ml = Context(folder);
        var labelled = Labelled(ml, out string[] keyValues);

        var metrics = ml.MulticlassClassification.Evaluate(FitChain(ml, labelled, folder.File("mc.onnx"), keyValues).Transform(labelled));

        var net = new SpikeNetwork(3);
        var rows = SpikeData.Rows();
        int correct = 0;
        double logLoss = 0;
        foreach (var row in rows)
        {
            double[] p = SpikeNetwork.Softmax(net.Logits(row.Features));
            int k = Array.IndexOf(keyValues, row.LabelText);
            if (Array.IndexOf(p, p.Max()) == k) correct++;
            logLoss -= Math.Log(p[k]);
        }
        metrics.MicroAccuracy.Should().BeApproximately((double)correct / rows.Count, 1e-12);
        metrics.MicroAccuracy.Should().BeInRange(0.5, 0.95, "the data is labelled partly by the network");
        metrics.LogLoss.Should().BeApproximately(logLoss / rows.Count, 1e-5);
        metrics.ConfusionMatrix.NumberOfClasses.Should().Be(3);
    }

    [TestMethod]
    public void SavedChainLoadsInFreshContextAfterOnnxFileIsDeleted()
    {
        using var folder = new SpikeFolder();
        var ml = Context(folder);
        var labelled = Labelled(ml, out string[] keyValues);
        string onnx = folder.File("mc.onnx"), zip = folder.File("mc.zip");
        var model = FitChain(ml, labelled, onnx, keyValues);
        var expected = model.Transform(labelled).GetColumn<float[]>("Score").ToArray();
        ml.Model.Save(model, labelled.Schema, zip);
        SpikeFolder.Export(zip);
        (model as IDisposable)?.Dispose();
        File.Delete(onnx);

        var fresh = new MLContext() { TempFilePath = folder.Temp };
        var loaded = fresh.Model.Load(zip, out var inputSchema);
        var scored = loaded.Transform(labelled);

        scored.GetColumn<float[]>("Score").Should().BeEquivalentTo(expected, o => o.WithStrictOrdering());
        var kv = default(VBuffer<ReadOnlyMemory<char>>);
        scored.Schema["PredictedLabel"].GetKeyValues(ref kv);
        kv.DenseValues().Select(v => v.ToString()).Should().Equal(keyValues);
        fresh.MulticlassClassification.Evaluate(scored).MicroAccuracy.Should().BeGreaterThan(0.5);
        inputSchema["Features"].Type.Should().Be(labelled.Schema["Features"].Type);
    }

    [TestMethod]
    public void PredictionEngineWorksOnTheLoadedChain()
    {
        using var folder = new SpikeFolder();
        var ml = Context(folder);
        var labelled = Labelled(ml, out string[] keyValues);
        string zip = folder.File("mc.zip");
        var model = FitChain(ml, labelled, folder.File("mc.onnx"), keyValues);
        ml.Model.Save(model, labelled.Schema, zip);

        var loaded = ml.Model.Load(zip, out _);
        using var engine = ml.Model.CreatePredictionEngine<SpikeRow, MulticlassPrediction>(loaded);
        var row = SpikeData.Rows()[10];
        var prediction = engine.Predict(row);

        double[] p = SpikeNetwork.Softmax(new SpikeNetwork(3).Logits(row.Features));
        prediction.Score.Should().HaveCount(3);
        for (int c = 0; c < 3; c++) prediction.Score[c].Should().BeApproximately((float)p[c], 1e-5f);
        prediction.PredictedLabel.Should().Be((uint)Array.IndexOf(p, p.Max()) + 1);
    }

    /// <summary>Output class of the prediction engine: ML.NET's usual multiclass prediction shape.</summary>
    public sealed class MulticlassPrediction
    {
        /// <summary>Class probabilities in key order.</summary>
        public float[] Score { get; set; } = [];

        /// <summary>The predicted key (1-based).</summary>
        public uint PredictedLabel { get; set; }
    }
}
