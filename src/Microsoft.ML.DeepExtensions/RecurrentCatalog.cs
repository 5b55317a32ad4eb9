using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML;

/// <summary>
/// Catalog extension methods that create the sequence (recurrent network) trainers of Microsoft.ML.DeepExtensions:
/// <c>Lstm(...)</c>, <c>Gru(...)</c> and <c>Rnn(...)</c> on <c>mlContext.BinaryClassification.Trainers</c>,
/// <c>mlContext.MulticlassClassification.Trainers</c> and <c>mlContext.Regression.Trainers</c>. Each has a simple
/// overload and an <c>Options</c> overload (see <see cref="RecurrentOptionsBase"/> for the inputs they read: series in
/// a vector of Single, padded sequences with lengths, or token keys).
/// </summary>
/// <example><code>
/// var pipeline = mlContext.Transforms.Text.NormalizeText("Text")
///     .Append(mlContext.Transforms.Text.TokenizeIntoWords("Tokens", "Text"))
///     .Append(mlContext.Transforms.Conversion.MapValueToKey("Tokens"))
///     .Append(mlContext.BinaryClassification.Trainers.Lstm(featureColumnName: "Tokens"));
/// </code></example>
public static class RecurrentCatalog
{
    /// <summary>Creates an LSTM binary classifier of sequences (see <see cref="RecurrentBinaryTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentBinaryTrainer Lstm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Lstm(Simple(new RecurrentBinaryTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an LSTM binary classifier of sequences with all options (see <see cref="RecurrentBinaryTrainer.Options"/>).</summary>
    public static RecurrentBinaryTrainer Lstm(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RecurrentBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentBinaryTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Lstm);
    }

    /// <summary>Creates a GRU binary classifier of sequences (see <see cref="RecurrentBinaryTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentBinaryTrainer Gru(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Gru(Simple(new RecurrentBinaryTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates a GRU binary classifier of sequences with all options (see <see cref="RecurrentBinaryTrainer.Options"/>).</summary>
    public static RecurrentBinaryTrainer Gru(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RecurrentBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentBinaryTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Gru);
    }

    /// <summary>Creates an Elman RNN binary classifier of sequences (see <see cref="RecurrentBinaryTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The Boolean label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentBinaryTrainer Rnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Rnn(Simple(new RecurrentBinaryTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an Elman RNN binary classifier of sequences with all options (see <see cref="RecurrentBinaryTrainer.Options"/>).</summary>
    public static RecurrentBinaryTrainer Rnn(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, RecurrentBinaryTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentBinaryTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Rnn);
    }

    /// <summary>Creates an LSTM multiclass classifier of sequences (see <see cref="RecurrentMulticlassTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentMulticlassTrainer Lstm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Lstm(Simple(new RecurrentMulticlassTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an LSTM multiclass classifier of sequences with all options (see <see cref="RecurrentMulticlassTrainer.Options"/>).</summary>
    public static RecurrentMulticlassTrainer Lstm(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RecurrentMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentMulticlassTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Lstm);
    }

    /// <summary>Creates a GRU multiclass classifier of sequences (see <see cref="RecurrentMulticlassTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentMulticlassTrainer Gru(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Gru(Simple(new RecurrentMulticlassTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates a GRU multiclass classifier of sequences with all options (see <see cref="RecurrentMulticlassTrainer.Options"/>).</summary>
    public static RecurrentMulticlassTrainer Gru(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RecurrentMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentMulticlassTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Gru);
    }

    /// <summary>Creates an Elman RNN multiclass classifier of sequences (see <see cref="RecurrentMulticlassTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The key-typed label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentMulticlassTrainer Rnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Rnn(Simple(new RecurrentMulticlassTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an Elman RNN multiclass classifier of sequences with all options (see <see cref="RecurrentMulticlassTrainer.Options"/>).</summary>
    public static RecurrentMulticlassTrainer Rnn(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, RecurrentMulticlassTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentMulticlassTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Rnn);
    }

    /// <summary>Creates an LSTM regressor of sequences (see <see cref="RecurrentRegressionTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentRegressionTrainer Lstm(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Lstm(Simple(new RecurrentRegressionTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an LSTM regressor of sequences with all options (see <see cref="RecurrentRegressionTrainer.Options"/>).</summary>
    public static RecurrentRegressionTrainer Lstm(this RegressionCatalog.RegressionTrainers catalog, RecurrentRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentRegressionTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Lstm);
    }

    /// <summary>Creates a GRU regressor of sequences (see <see cref="RecurrentRegressionTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentRegressionTrainer Gru(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Gru(Simple(new RecurrentRegressionTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates a GRU regressor of sequences with all options (see <see cref="RecurrentRegressionTrainer.Options"/>).</summary>
    public static RecurrentRegressionTrainer Gru(this RegressionCatalog.RegressionTrainers catalog, RecurrentRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentRegressionTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Gru);
    }

    /// <summary>Creates an Elman RNN regressor of sequences (see <see cref="RecurrentRegressionTrainer"/>).</summary>
    /// <param name="catalog">The trainers catalog.</param>
    /// <param name="labelColumnName">The Single label column. Default <c>Label</c>.</param>
    /// <param name="featureColumnName">The sequence column: a vector of Single (one value per step; set <c>FeaturesPerStep</c> in the options for more) or of token keys. Default <c>Features</c>.</param>
    /// <param name="hiddenSize">Features of the hidden state. Default 64.</param>
    /// <param name="numberOfEpochs">Passes over the data. Default 20.</param>
    /// <param name="batchSize">Sequences per mini-batch. Default 32.</param>
    /// <param name="learningRate">Adam's learning rate. Default 1e-3.</param>
    public static RecurrentRegressionTrainer Rnn(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = "Label", string featureColumnName = "Features", int hiddenSize = 64,
        int numberOfEpochs = 20, int batchSize = 32, float learningRate = 1e-3f) =>
        catalog.Rnn(Simple(new RecurrentRegressionTrainer.Options(), labelColumnName, featureColumnName, hiddenSize, numberOfEpochs, batchSize, learningRate));

    /// <summary>Creates an Elman RNN regressor of sequences with all options (see <see cref="RecurrentRegressionTrainer.Options"/>).</summary>
    public static RecurrentRegressionTrainer Rnn(this RegressionCatalog.RegressionTrainers catalog, RecurrentRegressionTrainer.Options options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        return new RecurrentRegressionTrainer(TrainerEnvironment.From(catalog), options, RecurrentCell.Rnn);
    }

    private static T Simple<T>(T options, string label, string feature, int hiddenSize, int epochs, int batchSize, float learningRate)
        where T : RecurrentOptionsBase
    {
        options.LabelColumnName = label;
        options.FeatureColumnName = feature;
        options.HiddenSize = hiddenSize;
        options.NumberOfEpochs = epochs;
        options.BatchSize = batchSize;
        options.LearningRate = learningRate;
        return options;
    }
}
