using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>Options that are valid but have no effect as set are logged as warnings through <c>MLContext.Log</c>.</summary>
[TestClass]
public sealed class RecurrentOptionWarningTests
{
    [TestMethod]
    [DataRow(1, 0.3f, true)]    // dropout between layers, but there is one layer: PyTorch warns too
    [DataRow(2, 0.3f, false)]
    [DataRow(1, 0f, false)]
    public void DropoutWithOneLayerIsAWarning(int layers, float dropout, bool warned)
    {
        var ml = new MLContext(seed: 0);
        var warnings = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Kind == ChannelMessageKind.Warning)
                lock (warnings) warnings.Add(e.Message);
        };
        var options = new RecurrentRegressionTrainer.Options
        {
            HiddenSize = 4, NumberOfEpochs = 1, Seed = 0, FeaturesPerStep = 1, NumberOfLayers = layers, Dropout = dropout,
        };
        var data = SequenceTestData.Variable(ml, SequenceTestData.Series(6, 1, 4, seed: 5));
        ml.Regression.Trainers.Gru(options).Fit(data).Dispose();
        if (warned) warnings.Should().ContainSingle(w => w.Contains("Dropout 0.3 has no effect with NumberOfLayers = 1"));
        else warnings.Should().NotContain(w => w.Contains("Dropout"));
    }
}
