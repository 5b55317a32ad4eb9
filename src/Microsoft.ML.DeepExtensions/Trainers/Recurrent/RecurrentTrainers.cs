using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// Trains a recurrent network (RNN, LSTM or GRU) for multiclass sequence classification with softmax cross-entropy.
/// Create it with <c>mlContext.MulticlassClassification.Trainers.Lstm(...)</c>, <c>.Gru(...)</c> or <c>.Rnn(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a key-typed label and a sequence feature column (see <see cref="RecurrentOptionsBase"/>: a vector of
/// Single of <c>T × F</c> values, padded sequences with lengths, or token keys).</para>
/// <para>Output columns, as ML.NET's multiclass trainers: <c>Score</c> (class probabilities in key order) and
/// <c>PredictedLabel</c> (the label's key type).</para>
/// <para><c>SaveAsOnnx</c> writes, for padded and token input, a graph with symbolic batch and time dimensions: input
/// named after the feature column, float <c>[N, T, F]</c> (tokens: string <c>[N, T]</c>, the words, padded with "") and,
/// for padded Single input, <c>lengths</c> int32 <c>[N]</c>; outputs <c>logits</c> <c>[N, C]</c>, <c>Score</c>
/// <c>[N, C]</c> and <c>PredictedLabel</c> int64 <c>[N, 1]</c> (the 0-based class index). For fixed input, the flat
/// <c>[N, T·F]</c> graph ML.NET scores with.</para>
/// <para>ML.NET scoring reads at most the training length <c>T</c> (the longest training sequence, or
/// <c>MaxSequenceLength</c>): a longer sequence is cut to its first <c>T</c> steps, whereas the <c>SaveAsOnnx</c> graph reads
/// every step it is given.</para>
/// </remarks>
public sealed class RecurrentMulticlassTrainer : RecurrentTrainerBase<MulticlassNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="RecurrentMulticlassTrainer"/>.</summary>
    public sealed class Options : RecurrentOptionsBase
    {
        /// <summary>Label smoothing ε in [0, 1) (PyTorch's <c>label_smoothing</c>). Default 0.</summary>
        public float LabelSmoothing { get; set; }
    }

    private readonly Options _options;

    internal RecurrentMulticlassTrainer(IHostEnvironment env, Options options, RecurrentCell cell) : base(env, options, cell) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => $"{Cell}MulticlassTrainer";

    private protected override PredictionKind Kind => PredictionKind.MulticlassClassification;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng) => BuildRecurrentNetwork(outputCount, rng);

    private protected override Loss CreateLoss() => new CrossEntropyLoss(labelSmoothing: _options.LabelSmoothing);

    private protected override MulticlassNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}

/// <summary>
/// Trains a recurrent network (RNN, LSTM or GRU) for binary sequence classification (binary cross-entropy on one logit).
/// Create it with <c>mlContext.BinaryClassification.Trainers.Lstm(...)</c>, <c>.Gru(...)</c> or <c>.Rnn(...)</c>. Input as
/// <see cref="RecurrentMulticlassTrainer"/>, with a Boolean label; output <c>Score</c>, <c>Probability</c>,
/// <c>PredictedLabel</c>.
/// </summary>
public sealed class RecurrentBinaryTrainer : RecurrentTrainerBase<BinaryNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="RecurrentBinaryTrainer"/>.</summary>
    public sealed class Options : RecurrentOptionsBase
    {
        /// <summary>Weight of the positive class in the loss (PyTorch <c>pos_weight</c>); null for 1. Default null.</summary>
        public float? PositiveClassWeight { get; set; }
    }

    private readonly Options _options;

    internal RecurrentBinaryTrainer(IHostEnvironment env, Options options, RecurrentCell cell) : base(env, options, cell) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => $"{Cell}BinaryTrainer";

    private protected override PredictionKind Kind => PredictionKind.BinaryClassification;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng) => BuildRecurrentNetwork(outputCount, rng);

    private protected override Loss CreateLoss() => new BCEWithLogitsLoss(_options.PositiveClassWeight);

    private protected override BinaryNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}

/// <summary>
/// Trains a recurrent network (RNN, LSTM or GRU) for sequence regression, e.g. forecasting the next value of a series.
/// Create it with <c>mlContext.Regression.Trainers.Lstm(...)</c>, <c>.Gru(...)</c> or <c>.Rnn(...)</c>. Input as
/// <see cref="RecurrentMulticlassTrainer"/>, with a Single label (standardized internally, as
/// <see cref="MlpRegressionTrainer"/> does); output <c>Score</c>.
/// </summary>
public sealed class RecurrentRegressionTrainer : RecurrentTrainerBase<RegressionNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="RecurrentRegressionTrainer"/>.</summary>
    public sealed class Options : RecurrentOptionsBase
    {
        /// <summary>The loss. Default <see cref="RegressionLossKind.MSE"/>.</summary>
        public RegressionLossKind LossFunction { get; set; } = RegressionLossKind.MSE;

        /// <summary>δ of the Huber loss, in label units, &gt; 0. Default 1.</summary>
        public float HuberDelta { get; set; } = 1f;
    }

    private readonly Options _options;

    internal RecurrentRegressionTrainer(IHostEnvironment env, Options options, RecurrentCell cell) : base(env, options, cell) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => $"{Cell}RegressionTrainer";

    private protected override PredictionKind Kind => PredictionKind.Regression;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng) =>
        NeuralTraining.WithLabelScale(BuildRecurrentNetwork(outputCount, rng), train);

    private protected override Loss CreateLoss() => RegressionLosses.Create(_options.LossFunction, _options.HuberDelta);

    private protected override RegressionNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}
