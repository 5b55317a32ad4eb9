using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Small, fast pipelines of the three MLP trainers on the shipped data, shared by the pipeline tests of this folder:
/// breast cancer (binary), iris (multiclass, text labels), wine (multiclass, Single labels 0..2 mapped to a key in the
/// deliberately unsorted order 2, 0, 1) and diabetes (regression). Every pipeline normalizes <c>Features</c> first.
/// They are tuned for speed and sane results, not for the accuracy targets of the issue.
/// </summary>
internal static class MlpTestTasks
{
    /// <summary>The order of the wine classes in the label's key (key 1 = class 2, ...).</summary>
    public static readonly float[] WineKeyOrder = [2f, 0f, 1f];

    public static MlpBinaryTrainer.Options BinaryOptions(int epochs = 20) =>
        new() { HiddenLayerSizes = [16], NumberOfEpochs = epochs, LearningRate = 1e-2f };

    public static MlpMulticlassTrainer.Options MulticlassOptions(int epochs = 30) =>
        new() { HiddenLayerSizes = [16], NumberOfEpochs = epochs, LearningRate = 1e-2f, BatchSize = 16 };

    public static MlpRegressionTrainer.Options RegressionOptions(int epochs = 60) =>
        new() { HiddenLayerSizes = [16], NumberOfEpochs = epochs, LearningRate = 1e-2f, BatchSize = 16 };

    /// <summary>Breast cancer: <c>Features</c> (30), <c>Label</c> Boolean.</summary>
    public static IDataView BreastCancer(MLContext ml) => TabularData.BreastCancer(ml);

    /// <summary>Iris: <c>Features</c> (4), <c>Label</c> text.</summary>
    public static IDataView Iris(MLContext ml) => TabularData.Iris(ml);

    /// <summary>Wine: <c>Features</c> (13), <c>Label</c> Single 0..2.</summary>
    public static IDataView Wine(MLContext ml) => TabularData.Wine(ml);

    /// <summary>Diabetes: <c>Features</c> (10), <c>Label</c> Single.</summary>
    public static IDataView Diabetes(MLContext ml) => TabularData.Diabetes(ml);

    public static EstimatorChain<BinaryNeuralPredictionTransformer> Binary(MLContext ml, MlpBinaryTrainer.Options? options = null) =>
        ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.Mlp(options ?? BinaryOptions()));

    /// <summary>Iris: text label → key (by occurrence), normalize, MLP.</summary>
    public static EstimatorChain<MulticlassNeuralPredictionTransformer> IrisMulticlass(MLContext ml, MlpMulticlassTrainer.Options? options = null) =>
        ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(options ?? MulticlassOptions()));

    /// <summary>Wine: Single label → key in the order <see cref="WineKeyOrder"/>, normalize, MLP.</summary>
    public static EstimatorChain<MulticlassNeuralPredictionTransformer> WineMulticlass(MLContext ml, MlpMulticlassTrainer.Options? options = null) =>
        WineLabelToKey(ml)
            .Append(ml.Transforms.NormalizeMeanVariance("Features"))
            .Append(ml.MulticlassClassification.Trainers.Mlp(options ?? MulticlassOptions()));

    /// <summary>Maps the wine label (Single 0..2) to a key whose KeyValues are <see cref="WineKeyOrder"/>.</summary>
    public static IEstimator<ITransformer> WineLabelToKey(MLContext ml) =>
        ml.Transforms.Conversion.MapValueToKey("Label",
            keyData: ml.Data.LoadFromEnumerable(WineKeyOrder.Select(v => new SingleValue { Value = v })));

    public static EstimatorChain<RegressionNeuralPredictionTransformer> Regression(MLContext ml, MlpRegressionTrainer.Options? options = null) =>
        ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.Mlp(options ?? RegressionOptions()));

    /// <summary>The <c>Features</c> vectors of <paramref name="data"/>, one array per row.</summary>
    public static float[][] Features(IDataView data, string column = "Features") =>
        data.GetColumn<float[]>(column).ToArray();

    /// <summary>Index of the largest value (the first on ties).</summary>
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    public sealed class SingleValue
    {
        public float Value { get; set; }
    }
}
