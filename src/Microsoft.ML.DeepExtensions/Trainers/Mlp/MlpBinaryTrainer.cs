using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// Trains a multilayer perceptron for binary classification with binary cross-entropy on the logit
/// (<c>BCEWithLogitsLoss</c>). Create it with <c>mlContext.BinaryClassification.Trainers.Mlp(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a Boolean label column and a feature column of Single or a known-size vector of Single (normalize it:
/// e.g. <c>NormalizeMeanVariance</c>). Optional Single example weights.</para>
/// <para>Output columns, as ML.NET's binary trainers: <c>Score</c> (the logit), <c>Probability</c> (<c>σ(Score)</c>),
/// <c>PredictedLabel</c> (<c>Score &gt; 0</c>).</para>
/// </remarks>
public sealed class MlpBinaryTrainer : NeuralTrainerBase<BinaryNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="MlpBinaryTrainer"/>.</summary>
    public sealed class Options : MlpOptionsBase
    {
        /// <summary>
        /// Weight of the positive class in the loss (PyTorch <c>pos_weight</c>): values &gt; 1 raise recall on
        /// imbalanced data. Null for 1. Default null.
        /// </summary>
        public float? PositiveClassWeight { get; set; }
    }

    private readonly Options _options;

    internal MlpBinaryTrainer(IHostEnvironment env, Options options) : base(env, options) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => "MlpBinaryTrainer";

    private protected override PredictionKind Kind => PredictionKind.BinaryClassification;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng) =>
        _options.BuildNetwork(inputShape[0], outputCount, rng);

    private protected override Loss CreateLoss() => new BCEWithLogitsLoss(_options.PositiveClassWeight);

    private protected override BinaryNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}
