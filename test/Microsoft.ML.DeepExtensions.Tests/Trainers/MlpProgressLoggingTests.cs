using System.Text.RegularExpressions;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Progress reporting of the MLP trainers: one line per epoch reaches <c>mlContext.Log</c> with a source naming the
/// trainer, and <c>Options.OnEpochEnd</c> is called once per epoch, in order, with that epoch's
/// <see cref="EpochMetrics"/> (the same records as the model's history, and the same text as the log line).
/// </summary>
[TestClass]
public sealed class MlpProgressLoggingTests
{
    private const int Epochs = 4;

    [TestMethod]
    [DataRow("binary", false)]
    [DataRow("multiclass", true)]
    [DataRow("regression", false)]
    public void EveryEpochIsLoggedUnderTheTrainerNameAndReportedToOnEpochEnd(string task, bool withValidation)
    {
        var ml = new MLContext(seed: 0);
        var messages = new List<LoggingEventArgs>();
        ml.Log += (_, e) =>
        {
            lock (messages) messages.Add(e);
        };
        var reported = new List<EpochMetrics>();
        var (trainerName, metricName, model) = Fit(ml, task, o =>
        {
            o.NumberOfEpochs = Epochs;
            o.ValidationFraction = withValidation ? 0.2 : 0;
            o.OnEpochEnd = m => reported.Add(m);
        });
        using var disposeModel = (IDisposable)model;
        var network = (NeuralPredictionTransformer)model.Last();

        reported.Select(m => m.Epoch).Should().Equal([1, 2, 3, 4], "OnEpochEnd runs once per epoch, in order");
        reported.Should().Equal(network.Model.History.Epochs, "the callback receives the history's records");
        foreach (var m in reported)
        {
            double.IsFinite(m.Loss).Should().BeTrue();
            m.Loss.Should().BePositive();
            m.MetricName.Should().Be(metricName);
            m.Metric.Should().NotBeNull().And.BeGreaterThanOrEqualTo(0);
            if (task != "regression") m.Metric.Should().BeLessThanOrEqualTo(1);
            m.LearningRate.Should().BeApproximately(network.Model.Options.LearningRate, 1e-9);
            m.Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.Zero);
            (m.ValidationLoss is not null).Should().Be(withValidation);
            (m.ValidationMetric is not null).Should().Be(withValidation);
        }
        reported[^1].Loss.Should().BeLessThan(reported[0].Loss, "training progresses");

        List<LoggingEventArgs> epochLines;
        lock (messages) epochLines = messages.Where(e => Regex.IsMatch(e.RawMessage, @"^epoch \d+: ")).ToList();
        epochLines.Should().HaveCount(Epochs, "one log line per epoch");
        for (int i = 0; i < Epochs; i++)
        {
            epochLines[i].Source.Should().Contain(trainerName);
            epochLines[i].Kind.Should().Be(ChannelMessageKind.Info);
            epochLines[i].RawMessage.Should().Be(reported[i].ToString());
        }
        if (withValidation) epochLines[0].RawMessage.Should().Contain("val_loss");
    }

    private static (string TrainerName, string MetricName, IEnumerable<ITransformer> Model) Fit(MLContext ml, string task, Action<MlpOptionsBase> configure)
    {
        switch (task)
        {
            case "binary":
            {
                var o = MlpTestTasks.BinaryOptions();
                configure(o);
                return ("MlpBinaryTrainer", "accuracy", MlpTestTasks.Binary(ml, o).Fit(MlpTestTasks.BreastCancer(ml)));
            }
            case "multiclass":
            {
                var o = MlpTestTasks.MulticlassOptions();
                configure(o);
                return ("MlpMulticlassTrainer", "accuracy", MlpTestTasks.IrisMulticlass(ml, o).Fit(MlpTestTasks.Iris(ml)));
            }
            default:
            {
                var o = MlpTestTasks.RegressionOptions();
                configure(o);
                return ("MlpRegressionTrainer", "mae", MlpTestTasks.Regression(ml, o).Fit(MlpTestTasks.Diabetes(ml)));
            }
        }
    }
}
