using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML;

/// <summary>
/// Catalog extension methods that create the convolutional-network trainers of Microsoft.ML.DeepExtensions:
/// <c>mlContext.MulticlassClassification.Trainers.ConvNet(...)</c> (image classification),
/// <c>mlContext.BinaryClassification.Trainers.ConvNet(...)</c> and <c>mlContext.Regression.Trainers.ConvNet(...)</c>.
/// Each has a simple overload and an <c>Options</c> overload. (ML.NET's own <c>ImageClassification</c> retrains fixed,
/// pretrained TensorFlow networks; these train a network of your choice from scratch on the CPU.)
/// </summary>
public static class ConvNetCatalog
{
    /// <summary>Creates a convolutional multiclass image classifier (see <see cref="ConvNetMulticlassTrainer"/>).</summary>
    /// <param name="catalog">The multiclass classification trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The image column: <c>C·H·W</c> Single values in CHW order. Default <c>Features</c>.</param>
    /// <param name="architecture">The network. Default LeNet-5.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 10.</param>
    /// <param name="batchSize">Images per mini-batch. Default 64.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static ConvNetMulticlassTrainer ConvNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", ConvNetArchitecture architecture = ConvNetArchitecture.LeNet5,
        int numberOfEpochs = 10, int batchSize = 64, float learningRate = 1e-3f) =>
        catalog.ConvNet(Simple(new ConvNetMulticlassTrainer.Options(), labelColumnName, featureColumnName, architecture, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates a convolutional multiclass image classifier with all options.</summary>
    public static ConvNetMulticlassTrainer ConvNet(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, ConvNetMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ConvNetMulticlassTrainer(TrainerEnvironment.From(catalog), options);
    }

    /// <summary>Creates a convolutional binary image classifier (see <see cref="ConvNetBinaryTrainer"/>).</summary>
    /// <param name="catalog">The binary classification trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The image column: <c>C·H·W</c> Single values in CHW order. Default <c>Features</c>.</param>
    /// <param name="architecture">The network. Default LeNet-5.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 10.</param>
    /// <param name="batchSize">Images per mini-batch. Default 64.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static ConvNetBinaryTrainer ConvNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", ConvNetArchitecture architecture = ConvNetArchitecture.LeNet5,
        int numberOfEpochs = 10, int batchSize = 64, float learningRate = 1e-3f) =>
        catalog.ConvNet(Simple(new ConvNetBinaryTrainer.Options(), labelColumnName, featureColumnName, architecture, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates a convolutional binary image classifier with all options.</summary>
    public static ConvNetBinaryTrainer ConvNet(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, ConvNetBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ConvNetBinaryTrainer(TrainerEnvironment.From(catalog), options);
    }

    /// <summary>Creates a convolutional image regressor (see <see cref="ConvNetRegressionTrainer"/>).</summary>
    /// <param name="catalog">The regression trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The image column: <c>C·H·W</c> Single values in CHW order. Default <c>Features</c>.</param>
    /// <param name="architecture">The network. Default LeNet-5.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 10.</param>
    /// <param name="batchSize">Images per mini-batch. Default 64.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static ConvNetRegressionTrainer ConvNet(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", ConvNetArchitecture architecture = ConvNetArchitecture.LeNet5,
        int numberOfEpochs = 10, int batchSize = 64, float learningRate = 1e-3f) =>
        catalog.ConvNet(Simple(new ConvNetRegressionTrainer.Options(), labelColumnName, featureColumnName, architecture, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates a convolutional image regressor with all options.</summary>
    public static ConvNetRegressionTrainer ConvNet(this RegressionCatalog.RegressionTrainers catalog, ConvNetRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new ConvNetRegressionTrainer(TrainerEnvironment.From(catalog), options);
    }

    private static T Simple<T>(T options, string label, string feature, ConvNetArchitecture architecture, int epochs, int batchSize, float learningRate)
        where T : ConvNetOptionsBase
    {
        options.LabelColumnName = label;
        options.FeatureColumnName = feature;
        options.Architecture = architecture;
        options.NumberOfEpochs = epochs;
        options.BatchSize = batchSize;
        options.LearningRate = learningRate;
        return options;
    }
}
