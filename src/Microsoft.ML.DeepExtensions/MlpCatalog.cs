using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML;

/// <summary>
/// Catalog extension methods that create the multilayer-perceptron trainers of Microsoft.ML.DeepExtensions:
/// <c>mlContext.BinaryClassification.Trainers.Mlp(...)</c>, <c>mlContext.MulticlassClassification.Trainers.Mlp(...)</c>,
/// <c>mlContext.Regression.Trainers.Mlp(...)</c>. Each has a simple overload and an <c>Options</c> overload.
/// </summary>
public static class MlpCatalog
{
    /// <summary>Creates an MLP binary classifier (see <see cref="MlpBinaryTrainer"/>).</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The feature column (Single or known-size vector of Single). Default <c>Features</c>.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for <c>[128]</c>.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Examples per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static MlpBinaryTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Mlp(Simple(new MlpBinaryTrainer.Options(), labelColumnName, featureColumnName, hiddenLayerSizes, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an MLP binary classifier with all options (see <see cref="MlpBinaryTrainer.Options"/>).</summary>
    public static MlpBinaryTrainer Mlp(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, MlpBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new MlpBinaryTrainer(TrainerEnvironment.From(catalog), options);
    }

    /// <summary>Creates an MLP multiclass classifier (see <see cref="MlpMulticlassTrainer"/>).</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The feature column (Single or known-size vector of Single). Default <c>Features</c>.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for <c>[128]</c>.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Examples per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static MlpMulticlassTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Mlp(Simple(new MlpMulticlassTrainer.Options(), labelColumnName, featureColumnName, hiddenLayerSizes, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an MLP multiclass classifier with all options (see <see cref="MlpMulticlassTrainer.Options"/>).</summary>
    public static MlpMulticlassTrainer Mlp(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, MlpMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new MlpMulticlassTrainer(TrainerEnvironment.From(catalog), options);
    }

    /// <summary>Creates an MLP regressor (see <see cref="MlpRegressionTrainer"/>).</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The feature column (Single or known-size vector of Single). Default <c>Features</c>.</param>
    /// <param name="hiddenLayerSizes">Hidden layer sizes; null for <c>[128]</c>.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Examples per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static MlpRegressionTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int[]? hiddenLayerSizes = null,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Mlp(Simple(new MlpRegressionTrainer.Options(), labelColumnName, featureColumnName, hiddenLayerSizes, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an MLP regressor with all options (see <see cref="MlpRegressionTrainer.Options"/>).</summary>
    public static MlpRegressionTrainer Mlp(this RegressionCatalog.RegressionTrainers catalog, MlpRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new MlpRegressionTrainer(TrainerEnvironment.From(catalog), options);
    }

    private static T Simple<T>(T options, string label, string feature, int[]? hidden, int epochs, int batchSize, float learningRate)
        where T : MlpOptionsBase
    {
        options.LabelColumnName = label;
        options.FeatureColumnName = feature;
        if (hidden is not null) options.HiddenLayerSizes = hidden;
        options.NumberOfEpochs = epochs;
        options.BatchSize = batchSize;
        options.LearningRate = learningRate;
        return options;
    }
}
