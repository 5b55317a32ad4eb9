using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

/// <summary>SPIKE: the regression scoring chain: ApplyOnnxModel(Score [N, 1]) -> CustomMapping(unwrap Score).</summary>
[TestClass]
public sealed class RegressionChainSpikeTests
{
    private static IDataView Data(MLContext ml)
    {
        var raw = ml.Data.LoadFromEnumerable(SpikeData.Rows());
        return ml.Transforms.CopyColumns("Label", nameof(SpikeRow.Target)).Fit(raw).Transform(raw);
    }

    internal static ITransformer FitChain(MLContext ml, IDataView data, string onnxPath)
    {
        new SpikeNetwork(1).Regression().Save(onnxPath);
        return ml.Transforms.ApplyOnnxModel("Score", "Features", onnxPath)
            .Append(ml.Transforms.CustomMapping<ScoreVector, ScoreScalar>(UnwrapScoreFactory.Map, UnwrapScoreFactory.ContractName))
            .Fit(data);
    }

    [TestMethod]
    public void ChainOutputsScalarScoreAndEvaluates()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        var data = Data(ml);

        var scored = FitChain(ml, data, folder.File("reg.onnx")).Transform(data);
        var metrics = ml.Regression.Evaluate(scored);

        scored.Schema["Score"].Type.Should().Be(NumberDataViewType.Single);
        var net = new SpikeNetwork(1);
        var rows = SpikeData.Rows();
        double mae = rows.Average(r => Math.Abs(r.Target - net.Logits(r.Features)[0]));
        double mse = rows.Average(r => Math.Pow(r.Target - net.Logits(r.Features)[0], 2));
        metrics.MeanAbsoluteError.Should().BeApproximately(mae, 1e-5);
        metrics.MeanSquaredError.Should().BeApproximately(mse, 1e-5);
    }

    [TestMethod]
    public void SavedChainRoundTrips()
    {
        using var folder = new SpikeFolder();
        var ml = new MLContext(seed: 0) { TempFilePath = folder.Temp };
        var data = Data(ml);
        string onnx = folder.File("reg.onnx"), zip = folder.File("reg.zip");
        var model = FitChain(ml, data, onnx);
        var expected = model.Transform(data).GetColumn<float>("Score").ToArray();
        ml.Model.Save(model, data.Schema, zip);
        SpikeFolder.Export(zip);
        File.Delete(onnx);

        var loaded = new MLContext() { TempFilePath = folder.Temp }.Model.Load(zip, out _);

        loaded.Transform(data).GetColumn<float>("Score").Should().Equal(expected);
    }
}
