using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// Trains a multilayer perceptron for multiclass classification with softmax cross-entropy (<c>CrossEntropyLoss</c>).
/// Create it with <c>mlContext.MulticlassClassification.Trainers.Mlp(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a key-typed label column (e.g. from <c>MapValueToKey</c>; keys backed by Byte, UInt16 or UInt64, as a
/// <c>TextLoader</c> key column can make them, work too) and a feature column of Single or a
/// known-size vector of Single (normalize it: e.g. <c>NormalizeMeanVariance</c>). Optional Single example weights.</para>
/// <para>Output columns, as ML.NET's multiclass trainers: <c>Score</c> (class probabilities, in the label's key
/// order) and <c>PredictedLabel</c> (the label's key type and values).</para>
/// </remarks>
public sealed class MlpMulticlassTrainer : NeuralTrainerBase<MulticlassNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="MlpMulticlassTrainer"/>.</summary>
    public sealed class Options : MlpOptionsBase
    {
        /// <summary>Label smoothing ε in [0, 1) (Szegedy et al. 2016; PyTorch's <c>label_smoothing</c>). Default 0.</summary>
        public float LabelSmoothing { get; set; }
    }

    private readonly Options _options;

    internal MlpMulticlassTrainer(IHostEnvironment env, Options options) : base(env, options) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => "MlpMulticlassTrainer";

    private protected override PredictionKind Kind => PredictionKind.MulticlassClassification;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng) =>
        _options.BuildNetwork(inputShape[0], outputCount, rng);

    private protected override Loss CreateLoss() => new CrossEntropyLoss(labelSmoothing: _options.LabelSmoothing);

    private protected override MulticlassNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}
