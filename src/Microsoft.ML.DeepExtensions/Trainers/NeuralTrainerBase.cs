using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// What every neural trainer of this library does in <c>Fit</c>: check the schema, read the rows (with clear errors
/// for bad values), train the network with the engine, export it to ONNX and wrap it in a prediction transformer that
/// scores and saves through ML.NET built-ins. Subclasses supply the task (label kind, loss, metric, output head) and
/// the architecture.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer <c>Fit</c> returns.</typeparam>
public abstract class NeuralTrainerBase<TTransformer> : IEstimator<TTransformer>
    where TTransformer : NeuralPredictionTransformer
{
    private readonly IHostEnvironment _env;

    private protected NeuralTrainerBase(IHostEnvironment env, NeuralTrainerOptionsBase options)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentNullException.ThrowIfNull(options);
        _env = env;
        TrainerOptions = options.Snapshot(); // later changes to the caller's object do not change this trainer or its models
    }

    /// <summary>The options this trainer was created with.</summary>
    private protected NeuralTrainerOptionsBase TrainerOptions { get; }

    private protected abstract string TrainerName { get; }

    private protected abstract PredictionKind Kind { get; }

    private protected LabelKind LabelKind => Kind switch
    {
        PredictionKind.BinaryClassification => LabelKind.Boolean,
        PredictionKind.MulticlassClassification => LabelKind.Key,
        _ => LabelKind.Single,
    };

    /// <summary>Builds and initializes the network for the given input shape and number of outputs.</summary>
    private protected abstract Sequential BuildNetwork(int[] inputShape, int outputCount, InMemoryDataset train, Rng rng);

    /// <summary>The training loss.</summary>
    private protected abstract Loss CreateLoss();

    /// <summary>Trains on <paramref name="input"/> (with the options' <c>ValidationFraction</c> as validation data, if set).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing.</exception>
    /// <exception cref="ArgumentException">A column has the wrong type, or an option is invalid.</exception>
    /// <exception cref="InvalidOperationException">A value is invalid (NaN feature, missing label, ...; the message names the column and row), or the data is empty.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradients became non-finite.</exception>
    public TTransformer Fit(IDataView input) => Fit(input, null);

    /// <summary>Trains on <paramref name="trainData"/>, reporting the loss and metric on <paramref name="validationData"/> after every epoch (and using it for early stopping).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing.</exception>
    /// <exception cref="ArgumentException">A column has the wrong type, an option is invalid, or the validation data's schema differs
    /// from the training data's (another feature size or, for images, other declared dimensions; other classes).</exception>
    /// <exception cref="InvalidOperationException">A value is invalid (the message names the column and row), or the data is empty.</exception>
    /// <exception cref="TrainingDivergedException">The loss or the gradients became non-finite.</exception>
    public TTransformer Fit(IDataView trainData, IDataView? validationData)
    {
        ArgumentNullException.ThrowIfNull(trainData);
        var o = TrainerOptions;
        o.Validate(); // options first: no row is read when an option is invalid
        var loss = CreateLoss(); // the loss checks its own options
        var host = _env.Register(TrainerName);
        var columns = new DataViewPacker.Columns(o.FeatureColumnName, o.LabelColumnName, LabelKind, o.ExampleWeightColumnName);
        int featureLength = CheckFeatureColumn(trainData.Schema, columns, "training data");
        int classCount = DataViewPacker.CheckTarget(trainData.Schema, columns);
        int weightedClasses = Kind == PredictionKind.Regression ? 0 : Math.Max(classCount, 2);
        NeuralTraining.CheckClassWeights(o.ClassWeights, weightedClasses);
        if (o.FeatureColumnName is PredictionHeads.Score or PredictionHeads.Probability or PredictionHeads.PredictedLabel)
            throw new ArgumentException($"The feature column cannot be named '{o.FeatureColumnName}': that is an output column of the trainer. Rename it (e.g. mlContext.Transforms.CopyColumns(\"Features\", \"{o.FeatureColumnName}\")).");
        if (validationData is not null)
        {
            int vLength = CheckFeatureColumn(validationData.Schema, columns, "validation data");
            int vClasses = DataViewPacker.CheckTarget(validationData.Schema, columns, "validation data");
            if (vLength != featureLength || vClasses != classCount)
                throw new ArgumentException(
                    $"The validation data does not match the training data: feature column '{o.FeatureColumnName}' has {vLength} values (training: {featureLength})" +
                    (LabelKind == LabelKind.Key ? $", label '{o.LabelColumnName}' has {vClasses} classes (training: {classCount})." : "."), nameof(validationData));
            if (LabelKind == LabelKind.Key
                && ScoringChain.KeyValueNames(trainData.Schema[o.LabelColumnName]) is { } trainClasses
                && ScoringChain.KeyValueNames(validationData.Schema[o.LabelColumnName]) is { } validationClasses
                && !trainClasses.SequenceEqual(validationClasses))
                throw new ArgumentException(
                    $"The validation data does not match the training data: label '{o.LabelColumnName}' has the classes ({string.Join(", ", validationClasses)}) " +
                    $"in key order, the training data ({string.Join(", ", trainClasses)}). Map both with the same fitted MapValueToKey transformer.", nameof(validationData));
        }

        var (train, validation, inputShape) = PackData(trainData, validationData, columns, featureLength);
        int outputs = Kind == PredictionKind.MulticlassClassification ? classCount : 1;
        if (loss is LabelScaledLoss scaled)
            scaled.LabelScale = NeuralTraining.LabelStatistics(train).Std;
        var result = NeuralTraining.Train(host, TrainerEnvironment.Seed(_env, o.Seed), o, train, validation, weightedClasses,
            rng => BuildNetwork(inputShape, outputs, train, rng), loss, Kind == PredictionKind.Regression ? new MeanAbsoluteErrorMetric() : new AccuracyMetric());

        var labelColumn = trainData.Schema[o.LabelColumnName];
        var classNames = Kind == PredictionKind.MulticlassClassification ? ScoringChain.KeyValueNames(labelColumn) : null;
        var model = new NeuralNetworkModelParameters(result.Network, inputShape, o, result.History, classNames);
        var onnx = ExportOnnx(result.Network, inputShape, outputs, classNames);
        ITransformer chain;
        try
        {
            chain = FitScoringChain(onnx, trainData);
        }
        catch
        {
            onnx.Dispose();
            throw;
        }
        var featureColumn = trainData.Schema[o.FeatureColumnName];
        var transformer = CreateTransformer(chain, onnx, model, o.FeatureColumnName, featureColumn.Type);
        transformer.FeatureCheck = CreateFeatureCheck(featureColumn, inputShape);
        return transformer;
    }

    /// <summary>
    /// The check the fitted model runs on the feature column of the data it scores (see <see cref="FeatureColumnCheck"/>),
    /// or null for none. By default: a known-size vector of Single with the training column's number of values.
    /// </summary>
    /// <param name="trainingColumn">The training data's feature column.</param>
    /// <param name="inputShape">The network's per-example input shape.</param>
    private protected virtual FeatureColumnCheck? CreateFeatureCheck(DataViewSchema.Column trainingColumn, int[] inputShape) =>
        FeatureColumnCheck.ForVector(trainingColumn.Name, inputShape.Aggregate(1, (a, b) => a * b));

    /// <summary>
    /// The per-example input shape of the network for a feature column of <paramref name="featureLength"/> values:
    /// <c>[featureLength]</c> by default; image and sequence trainers return e.g. <c>[C, H, W]</c> or <c>[T, F]</c>
    /// (the column's values are read in row-major order of that shape).
    /// </summary>
    /// <exception cref="ArgumentException">The column's size does not fit the shape the options ask for.</exception>
    private protected virtual int[] ResolveInputShape(DataViewSchema.Column featureColumn, int featureLength) => [featureLength];

    /// <summary>
    /// Checks the feature column of <paramref name="schema"/> (before any row is read) and returns a size that must be
    /// equal for the training and the validation data: by default, the length of the known-size vector of Single.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing.</exception>
    /// <exception cref="ArgumentException">The column has the wrong type.</exception>
    private protected virtual int CheckFeatureColumn(DataViewSchema schema, DataViewPacker.Columns columns, string what) =>
        DataViewPacker.CheckFeature(schema, columns, what);

    /// <summary>
    /// Checks, before any row is read, that the validation data's feature column describes the same examples as the
    /// training data's (whose sizes are already equal). By default nothing more; the image trainers compare dimensions.
    /// </summary>
    /// <exception cref="ArgumentException">The columns declare different shapes (<c>ParamName</c> <c>validationData</c>).</exception>
    private protected virtual void CheckValidationShape(DataViewSchema.Column trainingColumn, DataViewSchema.Column validationColumn, int[] inputShape)
    {
    }

    /// <summary>
    /// Reads the training (and validation) rows into engine data sets and returns the network's per-example input shape.
    /// By default: <see cref="ResolveInputShape"/> and <see cref="CheckValidationShape"/>, then <see cref="DataViewPacker.Pack"/> of both.
    /// </summary>
    private protected virtual (InMemoryDataset Train, InMemoryDataset? Validation, int[] InputShape) PackData(
        IDataView trainData, IDataView? validationData, DataViewPacker.Columns columns, int featureLength)
    {
        var o = TrainerOptions;
        int[] inputShape = ResolveInputShape(trainData.Schema[o.FeatureColumnName], featureLength);
        if (validationData is not null)
            CheckValidationShape(trainData.Schema[o.FeatureColumnName], validationData.Schema[o.FeatureColumnName], inputShape);
        var train = DataViewPacker.Pack(trainData, columns, o.CancellationToken).WithFeatureShape(inputShape);
        var validation = validationData is null ? null : DataViewPacker.Pack(validationData, columns, o.CancellationToken, "validation data").WithFeatureShape(inputShape);
        return (train, validation, inputShape);
    }

    /// <summary>
    /// Exports the trained network with the task's heads (<see cref="AddPredictionHeads"/>). By default one graph, input
    /// named after the feature column, flat <c>[N, prod(inputShape)]</c>, serves both the scoring chain and <c>SaveAsOnnx</c>.
    /// </summary>
    private protected virtual OnnxModelFile ExportOnnx(Sequential network, int[] inputShape, int outputs, IReadOnlyList<string>? classNames)
    {
        var graph = OnnxExporter.Export(network, inputShape, new OnnxExportOptions
        {
            InputName = TrainerOptions.FeatureColumnName,
            OutputName = "logits",
            FlattenInput = true, // ML.NET feeds the feature column as a flat vector
            DocString = $"{TrainerName}: {network.Name}",
        });
        AddPredictionHeads(graph, "logits", outputs, classNames);
        return new OnnxModelFile(graph.ToBytes());
    }

    /// <summary>Adds the task's output nodes (<see cref="PredictionHeads"/>) on the network's raw output <paramref name="logits"/>.</summary>
    private protected void AddPredictionHeads(OnnxGraphBuilder graph, string logits, int outputs, IReadOnlyList<string>? classNames)
    {
        switch (Kind)
        {
            case PredictionKind.BinaryClassification: PredictionHeads.Binary(graph, logits); break;
            case PredictionKind.MulticlassClassification: PredictionHeads.Multiclass(graph, logits, outputs, classNames); break;
            default: PredictionHeads.Regression(graph, logits); break;
        }
    }

    /// <summary>Builds the chain of ML.NET built-ins that scores with <paramref name="onnx"/> (fitted on the training schema; no rows are read).</summary>
    private protected virtual ITransformer FitScoringChain(OnnxModelFile onnx, IDataView trainData) =>
        ScoringChain.Fit(new MLContext(), onnx, Kind, trainData, TrainerOptions.FeatureColumnName, TrainerOptions.LabelColumnName);

    /// <summary>
    /// Checks the feature column of the schema <see cref="GetOutputSchema"/> receives. By default: Single or a known-size
    /// vector of Single.
    /// </summary>
    /// <exception cref="ArgumentException">The column has the wrong type.</exception>
    private protected virtual void CheckFeatureShape(SchemaShape.Column feature)
    {
        var o = TrainerOptions;
        if (feature.ItemType != NumberDataViewType.Single)
            throw new ArgumentException($"Feature column '{o.FeatureColumnName}' has type {feature.ItemType} ({feature.Kind}); expected Single or a known-size vector of Single. Convert it with mlContext.Transforms.Conversion.ConvertType or Concatenate.");
        if (feature.Kind == SchemaShape.Column.VectorKind.VariableVector)
            throw new ArgumentException($"Feature column '{o.FeatureColumnName}' is a variable-size vector; a known-size vector of Single is required. Use a transform that fixes its size (e.g. ResizeImages + ExtractPixels, or Concatenate of fixed columns).");
    }

    private protected abstract TTransformer CreateTransformer(ITransformer chain, OnnxModelFile onnx, NeuralNetworkModelParameters model, string featureColumnName, DataViewType featureColumnType);

    /// <summary>
    /// The output schema: the input columns plus the task's output columns. Checks that the feature and label columns
    /// exist with usable types.
    /// </summary>
    /// <remarks>
    /// <c>SchemaShape.Column</c> cannot be constructed outside ML.NET (DESIGN.md), so the output columns are derived
    /// with built-in estimators that produce columns of the same kinds: a copy of the label gives <c>PredictedLabel</c>
    /// (Boolean, or the label's key type with its values), a conversion of it to Single gives the scalar scores, and a
    /// concatenation gives the multiclass <c>Score</c> vector.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">The feature or label column is missing.</exception>
    /// <exception cref="ArgumentException">The feature or label column has the wrong type.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var o = TrainerOptions;
        CheckFeatureShape(Find(inputSchema, o.FeatureColumnName, "feature"));
        var label = Find(inputSchema, o.LabelColumnName, "label");
        var expected = LabelKind switch
        {
            LabelKind.Boolean => label.ItemType == BooleanDataViewType.Instance && label.Kind == SchemaShape.Column.VectorKind.Scalar,
            LabelKind.Key => label.IsKey && label.Kind == SchemaShape.Column.VectorKind.Scalar,
            _ => label.ItemType == NumberDataViewType.Single && label.Kind == SchemaShape.Column.VectorKind.Scalar,
        };
        if (!expected)
            throw new ArgumentException($"Label column '{o.LabelColumnName}' has type {label.ItemType}; {TrainerName} expects " + LabelKind switch
            {
                LabelKind.Key => $"a key type. Add mlContext.Transforms.Conversion.MapValueToKey(\"{o.LabelColumnName}\") to the pipeline.",
                LabelKind.Boolean => "Boolean.",
                _ => "Single.",
            });

        var ml = new MLContext();
        IEstimator<ITransformer> shapes = Kind switch
        {
            PredictionKind.BinaryClassification => ml.Transforms.Conversion.ConvertType(
                    [new InputOutputColumnPair(PredictionHeads.Score, o.LabelColumnName), new InputOutputColumnPair(PredictionHeads.Probability, o.LabelColumnName)], DataKind.Single)
                .Append(ml.Transforms.CopyColumns(PredictionHeads.PredictedLabel, o.LabelColumnName)),
            PredictionKind.Regression => ml.Transforms.CopyColumns(PredictionHeads.Score, o.LabelColumnName),
            _ => ml.Transforms.Concatenate(PredictionHeads.Score, o.FeatureColumnName, o.FeatureColumnName)
                .Append(ml.Transforms.CopyColumns(PredictionHeads.PredictedLabel, o.LabelColumnName)),
        };
        return shapes.GetOutputSchema(inputSchema);
    }

    private protected static SchemaShape.Column Find(SchemaShape schema, string name, string role)
    {
        foreach (var column in schema)
            if (column.Name == name) return column;
        throw new ArgumentOutOfRangeException(name, $"The input has no {role} column '{name}'.");
    }
}
