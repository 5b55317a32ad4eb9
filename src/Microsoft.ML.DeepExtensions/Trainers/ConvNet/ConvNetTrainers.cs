using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// Trains a convolutional network for multiclass image classification with softmax cross-entropy. Create it with
/// <c>mlContext.MulticlassClassification.Trainers.ConvNet(...)</c>.
/// </summary>
/// <remarks>
/// <para>Input: a key-typed label (any key raw type) and a feature column holding each image as <c>C·H·W</c> Single
/// values in CHW order (e.g. <c>LoadImages → ResizeImages → ExtractPixels</c>, which also declares the dimensions), scaled
/// to a small range (e.g. <c>ExtractPixels(scaleImage: 1f / 255)</c> or a normalizer). The image shape comes from the
/// column's dimensions or <see cref="ConvNetOptionsBase.ImageShape"/>.</para>
/// <para>Output columns, as ML.NET's multiclass trainers: <c>Score</c> (class probabilities in key order) and
/// <c>PredictedLabel</c> (the label's key type).</para>
/// <para>The fitted model checks the feature column of the data it scores in <c>GetOutputSchema</c>, <c>Transform</c>
/// and <c>CreatePredictionEngine</c>: another number of values, or declared dimensions other than the model's
/// <c>(C, H, W)</c> (leading 1s aside; a flat vector of the right size is fine), throw
/// <see cref="ArgumentOutOfRangeException"/> naming the column and both shapes. The same holds for the binary and
/// regression ConvNet trainers.</para>
/// </remarks>
public sealed class ConvNetMulticlassTrainer : ConvNetTrainerBase<MulticlassNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="ConvNetMulticlassTrainer"/>.</summary>
    public sealed class Options : ConvNetOptionsBase
    {
        /// <summary>Label smoothing ε in [0, 1) (PyTorch's <c>label_smoothing</c>). Default 0.</summary>
        public float LabelSmoothing { get; set; }
    }

    private readonly Options _options;

    internal ConvNetMulticlassTrainer(IHostEnvironment env, Options options) : base(env, options) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => "ConvNetMulticlassTrainer";

    private protected override PredictionKind Kind => PredictionKind.MulticlassClassification;

    private protected override Loss CreateLoss() => new CrossEntropyLoss(labelSmoothing: _options.LabelSmoothing);

    private protected override MulticlassNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}

/// <summary>
/// Trains a convolutional network for binary image classification (binary cross-entropy on one logit). Create it with
/// <c>mlContext.BinaryClassification.Trainers.ConvNet(...)</c>. Input as <see cref="ConvNetMulticlassTrainer"/>, with a
/// Boolean label; output <c>Score</c>, <c>Probability</c>, <c>PredictedLabel</c>.
/// </summary>
public sealed class ConvNetBinaryTrainer : ConvNetTrainerBase<BinaryNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="ConvNetBinaryTrainer"/>.</summary>
    public sealed class Options : ConvNetOptionsBase
    {
        /// <summary>Weight of the positive class in the loss (PyTorch <c>pos_weight</c>); null for 1. Default null.</summary>
        public float? PositiveClassWeight { get; set; }
    }

    private readonly Options _options;

    internal ConvNetBinaryTrainer(IHostEnvironment env, Options options) : base(env, options) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => "ConvNetBinaryTrainer";

    private protected override PredictionKind Kind => PredictionKind.BinaryClassification;

    private protected override Loss CreateLoss() => new BCEWithLogitsLoss(_options.PositiveClassWeight);

    private protected override BinaryNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}

/// <summary>
/// Trains a convolutional network for image regression (e.g. predicting a measurement from a picture). Create it with
/// <c>mlContext.Regression.Trainers.ConvNet(...)</c>. Input as <see cref="ConvNetMulticlassTrainer"/>, with a Single
/// label (standardized internally, as <see cref="MlpRegressionTrainer"/> does); output <c>Score</c>.
/// </summary>
public sealed class ConvNetRegressionTrainer : ConvNetTrainerBase<RegressionNeuralPredictionTransformer>
{
    /// <summary>Options of <see cref="ConvNetRegressionTrainer"/>.</summary>
    public sealed class Options : ConvNetOptionsBase
    {
        /// <summary>The loss. Default <see cref="RegressionLossKind.MSE"/>.</summary>
        public RegressionLossKind LossFunction { get; set; } = RegressionLossKind.MSE;

        /// <summary>δ of the Huber loss, in label units, &gt; 0. Default 1.</summary>
        public float HuberDelta { get; set; } = 1f;
    }

    private readonly Options _options;

    internal ConvNetRegressionTrainer(IHostEnvironment env, Options options) : base(env, options) => _options = (Options)TrainerOptions;

    private protected override string TrainerName => "ConvNetRegressionTrainer";

    private protected override PredictionKind Kind => PredictionKind.Regression;

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng) =>
        NeuralTraining.WithLabelScale(base.BuildNetwork(inputShape, outputCount, train, rng), train);

    private protected override Loss CreateLoss() => RegressionLosses.Create(_options.LossFunction, _options.HuberDelta);

    private protected override RegressionNeuralPredictionTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType) =>
        new(chain, onnx, model, featureColumnName, featureColumnType);
}

/// <summary>Finds the image shape of a feature column.</summary>
internal static class ImageShapes
{
    /// <summary>
    /// The options' shape if given (checked against the column's size and declared dimensions), else the column's dimensions.
    /// </summary>
    /// <exception cref="ArgumentException">The shape is unknown, does not match the column's size, or contradicts the
    /// column's declared dimensions (<c>ParamName</c> <c>ImageShape</c>); or the column's dimensions look like
    /// interleaved (H, W, C) pixels.</exception>
    public static int[] Resolve(ImageShape? shape, DataViewSchema.Column column, int length)
    {
        var dims = column.Type is VectorDataViewType v ? v.Dimensions.ToArray() : [];
        if (shape is { } s)
        {
            int[] chw = [s.Channels, s.Height, s.Width];
            if ((long)s.Channels * s.Height * s.Width != length)
                throw new ArgumentException($"ImageShape ({s.Channels}, {s.Height}, {s.Width}) holds {(long)s.Channels * s.Height * s.Width} values, but feature column '{column.Name}' has {length}.", nameof(ImageShape));
            // Declared dimensions must describe the same image; their interleaved order (H, W, C) is the documented way
            // to say that a column declared like ExtractPixels(interleavePixelColors: true) holds channel-major values.
            if (dims.Length > 1 && !PixelLayout.SameShape(dims, chw) && !PixelLayout.IsInterleavedOrderOf(dims, chw))
                throw new ArgumentException(
                    $"ImageShape {PixelLayout.Format(chw)} contradicts the dimensions {PixelLayout.Format(dims)} that feature column '{column.Name}' declares. " +
                    "Leave ImageShape null to read the images as the column declares them, or produce the column with the shape you mean (e.g. ResizeImages before ExtractPixels).",
                    nameof(ImageShape));
            return chw;
        }
        // ExtractPixels(interleavePixelColors: true) declares (H, W, C) and writes the pixels in that order.
        if (PixelLayout.LooksInterleaved(dims))
            throw new ArgumentException(
                $"Feature column '{column.Name}' has the dimensions ({dims[0]}, {dims[1]}, {dims[2]}), which look like interleaved pixels (height, width, channels); " +
                "the convolutional trainers read channel-major (C, H, W) images. Use ExtractPixels with interleavePixelColors: false (the default), " +
                "or set Options.ImageShape if the column really holds channel-major images.");
        return dims.Length switch
        {
            3 => dims,
            2 => [1, dims[0], dims[1]],
            _ => throw new ArgumentException(
                $"Feature column '{column.Name}' is a vector of {length} values without image dimensions: set Options.ImageShape (channels, height, width), " +
                "or produce the column with ExtractPixels, which declares them."),
        };
    }

    /// <summary>
    /// Checks that the validation column declares the training images: no dimensions (a flat vector of the same size),
    /// or dimensions equal to the training column's or to the network's <paramref name="inputShape"/> (leading 1s aside).
    /// </summary>
    /// <exception cref="ArgumentException">The validation column declares other dimensions (<c>ParamName</c> <c>validationData</c>).</exception>
    public static void CheckValidation(DataViewSchema.Column training, DataViewSchema.Column validation, int[] inputShape)
    {
        var dims = validation.Type is VectorDataViewType v ? v.Dimensions.ToArray() : [];
        var trainingDims = training.Type is VectorDataViewType t ? t.Dimensions.ToArray() : [];
        if (dims.Length > 1 && !PixelLayout.SameShape(dims, inputShape) && !(trainingDims.Length > 1 && PixelLayout.SameShape(dims, trainingDims)))
            throw new ArgumentException(
                $"The validation data does not match the training data: feature column '{validation.Name}' declares the dimensions {PixelLayout.Format(dims)}, " +
                $"the training data's {(trainingDims.Length > 1 ? PixelLayout.Format(trainingDims) : "none (a flat vector)")}; the network reads {PixelLayout.Format(inputShape)} images. " +
                "Prepare both with the same transforms.", "validationData");
    }
}
