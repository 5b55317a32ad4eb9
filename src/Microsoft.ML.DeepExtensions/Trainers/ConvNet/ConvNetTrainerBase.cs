using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// What the convolutional trainers share: the image shape (from the column's dimensions or
/// <see cref="ConvNetOptionsBase.ImageShape"/>), the check of validation data and of scored columns against it, and the
/// network of <see cref="ConvNetOptionsBase.Architecture"/>.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer <c>Fit</c> returns.</typeparam>
public abstract class ConvNetTrainerBase<TTransformer> : NeuralTrainerBase<TTransformer>
    where TTransformer : NeuralPredictionTransformer
{
    private readonly ConvNetOptionsBase _options;

    private protected ConvNetTrainerBase(IHostEnvironment env, ConvNetOptionsBase options) : base(env, options) =>
        _options = (ConvNetOptionsBase)TrainerOptions;

    private protected override int[] ResolveInputShape(DataViewSchema.Column featureColumn, int featureLength) =>
        ImageShapes.Resolve(_options.ImageShape, featureColumn, featureLength);

    private protected override void CheckValidationShape(DataViewSchema.Column trainingColumn, DataViewSchema.Column validationColumn, int[] inputShape) =>
        ImageShapes.CheckValidation(trainingColumn, validationColumn, inputShape);

    private protected override FeatureColumnCheck CreateFeatureCheck(DataViewSchema.Column trainingColumn, int[] inputShape) =>
        FeatureColumnCheck.ForImages(trainingColumn.Name, inputShape, trainingColumn.Type);

    private protected override Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng) =>
        _options.BuildNetwork(new ImageShape(inputShape[0], inputShape[1], inputShape[2]), outputCount, rng);
}
