using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

/// <summary>
/// SPIKE: the binary scoring chain: ApplyOnnxModel(Score, Probability, PredictedLabel as [N, 1] tensors)
/// -> CustomMapping(unwrap the three vector&lt;T, 1&gt; columns to scalars).
/// </summary>
[TestClass]
public sealed class BinaryChainSpikeTests
{
    internal static ITransformer FitChain(MLContext ml, IDataView data, string onnxPath)
    {
        new SpikeNetwork(1).Binary().Save(onnxPath);
        var chain = ml.Transforms.ApplyOnnxModel(["Score", "Probability", "PredictedLabel"], ["Features"], onnxPath)
            .Append(ml.Transforms.CustomMapping<BinaryVectors, BinaryScalars>(UnwrapBinaryFactory.Map, UnwrapBinaryFactory.ContractName));
        return chain.Fit(data);
    }

    private static IDataView Data(MLContext ml) =>
        ml.Transforms.CopyColumns("Label", nameof(SpikeRow.BinaryLabel)).Fit(ml.Data.LoadFromEnumerable(SpikeData.Rows())).Transform(ml.Data.LoadFromEnumerable(SpikeData.Rows()));

    [TestMethod]
    public void OnnxTransformerAloneGivesSizeOneVectorsNotScalars()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        string onnx = folder.File("bin.onnx");
        new SpikeNetwork(1).Binary().Save(onnx);

        var scored = ml.Transforms.ApplyOnnxModel(onnx).Fit(Data(ml)).Transform(Data(ml));

        scored.Schema["Score"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 1, 1));
        scored.Schema["Probability"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 1, 1));
        scored.Schema["PredictedLabel"].Type.Should().Be(new VectorDataViewType(BooleanDataViewType.Instance, 1, 1));
        var evaluate = () => ml.BinaryClassification.Evaluate(scored);
        evaluate.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*Score*");
    }

    [TestMethod]
    public void ChainOutputsScalarScoreProbabilityAndBooleanPredictedLabel()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        var data = Data(ml);

        var scored = FitChain(ml, data, folder.File("bin.onnx")).Transform(data);

        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["Probability"].Type.Should().Be(NumberDataViewType.Single);
        scored.Schema["PredictedLabel"].Type.Should().Be(BooleanDataViewType.Instance);
        var net = new SpikeNetwork(1);
        var rows = SpikeData.Rows();
        var score = scored.GetColumn<float>("Score").ToArray();
        var probability = scored.GetColumn<float>("Probability").ToArray();
        var predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        for (int i = 0; i < rows.Count; i++)
        {
            double z = net.Logits(rows[i].Features)[0];
            score[i].Should().BeApproximately((float)z, 1e-5f);
            probability[i].Should().BeApproximately((float)(1 / (1 + Math.Exp(-z))), 1e-6f);
            predicted[i].Should().Be(z > 0);
        }
    }

    [TestMethod]
    public void EvaluateOnChainMatchesNaiveMetrics()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        var data = Data(ml);

        var metrics = ml.BinaryClassification.Evaluate(FitChain(ml, data, folder.File("bin.onnx")).Transform(data));

        var net = new SpikeNetwork(1);
        var rows = SpikeData.Rows();
        int correct = rows.Count(r => (net.Logits(r.Features)[0] > 0) == r.BinaryLabel);
        double logLoss = rows.Average(r =>
        {
            double p = 1 / (1 + Math.Exp(-net.Logits(r.Features)[0]));
            return -Math.Log2(r.BinaryLabel ? p : 1 - p);
        });
        metrics.Accuracy.Should().BeApproximately((double)correct / rows.Count, 1e-12);
        metrics.Accuracy.Should().BeInRange(0.6, 0.95);
        metrics.LogLoss.Should().BeApproximately(logLoss, 1e-4);
        metrics.AreaUnderRocCurve.Should().BeInRange(0.5, 1.0);
    }

    [TestMethod]
    public void SavedChainRoundTripsAndServesAPredictionEngine()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        var data = Data(ml);
        string onnx = folder.File("bin.onnx"), zip = folder.File("bin.zip");
        var model = FitChain(ml, data, onnx);
        var expected = model.Transform(data).GetColumn<float>("Probability").ToArray();
        ml.Model.Save(model, data.Schema, zip);
        SpikeFolder.Export(zip);
        File.Delete(onnx);

        var fresh = new MLContext() { TempFilePath = folder.Temp };
        var loaded = fresh.Model.Load(zip, out _);
        loaded.Transform(data).GetColumn<float>("Probability").Should().Equal(expected);
        fresh.BinaryClassification.Evaluate(loaded.Transform(data)).Accuracy.Should().BeGreaterThan(0.6);

        using var engine = fresh.Model.CreatePredictionEngine<SpikeRow, BinaryPrediction>(loaded);
        var row = SpikeData.Rows()[7];
        var prediction = engine.Predict(row);
        double z = new SpikeNetwork(1).Logits(row.Features)[0];
        prediction.Score.Should().BeApproximately((float)z, 1e-5f);
        prediction.PredictedLabel.Should().Be(z > 0);
    }

    /// <summary>ML.NET's usual binary prediction shape.</summary>
    public sealed class BinaryPrediction
    {
        /// <summary>Raw score.</summary>
        public float Score { get; set; }

        /// <summary>Calibrated probability.</summary>
        public float Probability { get; set; }

        /// <summary>Predicted class.</summary>
        public bool PredictedLabel { get; set; }
    }
}
