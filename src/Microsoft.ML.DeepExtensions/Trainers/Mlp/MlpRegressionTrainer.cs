using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>The regression loss of a neural regressor (PyTorch names).</summary>
public enum RegressionLossKind
{
    /// <summary>Mean squared error. The default.</summary>
    MSE,

    /// <summary>Mean absolute error (L1).</summary>
    L1,

    /// <summary>Huber loss with <c>HuberDelta</c> (robust to outliers).</summary>
    Huber,
}

/// <summary>
/// Trains a multilayer perceptron for regression. Create it with <c>mlContext.Regression.Trainers.Mlp(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a Single label column and a feature column of Single or a known-size vector of Single (normalize it).
/// Optional Single example weights.</para>
/// <para>The label need not be normalized: the network ends with a fixed <see cref="Rescaling"/> layer
/// <c>y = z·σ + μ</c> (μ, σ: the weighted mean and standard deviation of the training labels), so it learns a
/// standardized target while its output, the reported loss and the <c>mae</c> metric stay in the label's units.</para>
/// <para>Output column, as ML.NET's regression trainers: <c>Score</c>.</para>
/// </remarks>
public sealed class MlpRegressionTrainer : NeuralTrainerBase<RegressionNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="MlpRegressionTrainer"/>.</summary>
    public sealed class Options : MlpOptionsBase
    {
        /// <summary>The loss. Default <see cref="RegressionLossKind.MSE"/>.</summary>
        public RegressionLossKind LossFunction { get; set; } = RegressionLossKind.MSE;

        /// <summary>δ of the Huber loss, in label units, &gt; 0. Default 1.</summary>
        public float HuberDelta { get; set; } = 1f;
    }

    private readonly Options _options;

    internal MlpRegressionTrainer(IHostEnvironment env, Options options) : base(env, options) => _options = options;

    private protected override string TrainerName => "MlpRegressionTrainer";

    private protected override PredictionKind Kind => PredictionKind.Regression;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng)
    {
        var mlp = _options.BuildNetwork(inputShape[0], outputCount, rng);
        var (mean, std) = LabelStatistics(train);
        return new Sequential(mlp.Layers.Append(new Rescaling(std, mean)));
    }

    private protected override Loss CreateLoss() => _options.LossFunction switch
    {
        RegressionLossKind.MSE => new MSELoss(),
        RegressionLossKind.L1 => new L1Loss(),
        RegressionLossKind.Huber => new HuberLoss(_options.HuberDelta),
        _ => throw new ArgumentOutOfRangeException(nameof(Options.LossFunction), _options.LossFunction, "Unknown regression loss."),
    };

    private protected override RegressionNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);

    /// <summary>Weighted mean and standard deviation of the labels (float64 two-pass); σ = 1 for a constant label.</summary>
    private static (float Mean, float Std) LabelStatistics(InMemoryDataset train)
    {
        var y = train.Targets;
        var w = train.Weights;
        double sw = 0, sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double wi = w.IsEmpty ? 1 : w[i];
            sw += wi;
            sum += wi * y[i];
        }
        double mean = sw > 0 ? sum / sw : 0, ss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double wi = w.IsEmpty ? 1 : w[i], d = y[i] - mean;
            ss += wi * d * d;
        }
        double std = sw > 0 ? Math.Sqrt(ss / sw) : 0;
        return ((float)mean, std > 1e-12 ? (float)std : 1f);
    }
}
