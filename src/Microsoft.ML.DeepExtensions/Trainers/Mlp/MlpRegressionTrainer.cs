using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// Trains a multilayer perceptron for regression. Create it with <c>mlContext.Regression.Trainers.Mlp(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a Single label column and a feature column of Single or a known-size vector of Single (normalize it).
/// Optional Single example weights.</para>
/// <para>The label need not be normalized: the network ends with a fixed <see cref="Rescaling"/> layer
/// <c>y = z·σ + μ</c> (μ, σ: the weighted mean and standard deviation of the training labels), so it learns a
/// standardized target (its gradients are those of the loss of <c>(y − μ)/σ</c>) while its output, the reported loss and
/// the <c>mae</c> metric stay in the label's units. So the learning rate and the penalties do not depend on the label's units.</para>
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

    internal MlpRegressionTrainer(IHostEnvironment env, Options options) : base(env, options) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => "MlpRegressionTrainer";

    private protected override PredictionKind Kind => PredictionKind.Regression;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng)
    {
        return NeuralTraining.WithLabelScale(_options.BuildNetwork(inputShape[0], outputCount, rng), train);
    }

    private protected override Loss CreateLoss() => RegressionLosses.Create(_options.LossFunction, _options.HuberDelta);

    private protected override RegressionNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}
