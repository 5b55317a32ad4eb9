using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Scoring;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// What the sequence trainers share: reading sequence columns (fixed, padded with lengths, or token keys), the
/// recurrent network, the two ONNX graphs and the scoring chain that pads sequences for ML.NET's <c>OnnxTransformer</c>.
/// See <see cref="RecurrentOptionsBase"/> and docs/design/recurrent.md.
/// </summary>
/// <typeparam name="TTransformer">The prediction transformer <c>Fit</c> returns.</typeparam>
public abstract class RecurrentTrainerBase<TTransformer> : NeuralTrainerBase<TTransformer>
    where TTransformer : NeuralPredictionTransformer
{
    private readonly RecurrentOptionsBase _options;

    // The training column as the schema describes it, found by CheckFeatureColumn at the start of each Fit and used by
    // the later steps of the same Fit (network, graphs, chain). Fit is not meant to run concurrently on one trainer.
    private SequenceColumnInfo? _info;
    private int _steps;

    private protected RecurrentTrainerBase(IHostEnvironment env, RecurrentOptionsBase options, RecurrentCell cell) : base(env, options)
    {
        if (cell is not (RecurrentCell.Rnn or RecurrentCell.Lstm or RecurrentCell.Gru))
            throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown recurrent cell.");
        _options = (RecurrentOptionsBase)TrainerOptions;
        Cell = cell;
    }

    /// <summary>The recurrent layer this trainer builds.</summary>
    public RecurrentCell Cell { get; }

    private protected SequenceColumnInfo Info => _info ?? throw new InvalidOperationException("The feature column has not been checked yet.");

    private protected override int CheckFeatureColumn(DataViewSchema schema, DataViewPacker.Columns columns, string what)
    {
        var info = SequencePacker.Check(schema, _options.Spec, what);
        if (what == "training data") _info = info;
        return info.KnownSize;
    }

    private protected override (InMemoryDataset Train, InMemoryDataset? Validation, int[] InputShape) PackData(
        IDataView trainData, IDataView? validationData, DataViewPacker.Columns columns, int featureLength)
    {
        var ct = _options.CancellationToken;
        var (train, info) = SequencePacker.Pack(trainData, columns, _options.Spec, steps: null, ct);
        _info = info;
        _steps = train.FeatureShape[0];
        // Fail before training, not after it, when the scoring chain cannot hold the longest sequence.
        if (info.Kind == SequenceInputKind.Tokens) SequencePadding.TokenSizeFor(_steps);
        else if (info.IsVariableSize) SequencePadding.SizeFor((long)_steps * info.Features);
        InMemoryDataset? validation = null;
        if (validationData is not null)
        {
            var v = SequencePacker.Check(validationData.Schema, _options.Spec, "validation data");
            if (v.Kind != info.Kind || v.Features != info.Features || v.KeyCount != info.KeyCount
                || (info.Vocabulary is not null && !info.Vocabulary.SequenceEqual(v.Vocabulary ?? [])))
                throw new ArgumentException(
                    $"The validation data does not match the training data: feature column '{_options.FeatureColumnName}' is read as {Describe(v)} (training: {Describe(info)}). " +
                    "Transform both with the same fitted pipeline (e.g. the same MapValueToKey for tokens).", nameof(validationData));
            validation = SequencePacker.Pack(validationData, columns, _options.Spec, steps: train.FeatureShape[0], ct, "validation data").Data;
        }
        return (train, validation, train.FeatureShape.ToArray());
    }

    private static string Describe(SequenceColumnInfo info) => info.Kind switch
    {
        SequenceInputKind.Tokens => $"tokens of a vocabulary of {info.KeyCount} keys",
        SequenceInputKind.Padded => $"padded sequences of {info.Features} features per step",
        _ => $"fixed sequences of {info.Features} features per step",
    };

    /// <summary>Builds the recurrent network (see <see cref="RecurrentOptionsBase"/>) for the checked column.</summary>
    private protected Sequential BuildRecurrentNetwork(int outputCount, Rng rng) => _options.BuildNetwork(Cell, Info, outputCount, rng);

    private protected override OnnxModelFile ExportOnnx(Sequential network, int[] inputShape, int outputs, IReadOnlyList<string>? classNames)
    {
        var info = Info;
        string doc = $"{TrainerName}: {network.Name}";
        var scoring = SequenceOnnx.Scoring(network, info, inputShape[0], _options.FeatureColumnName, doc, out _);
        AddPredictionHeads(scoring, SequenceOnnx.Logits, outputs, classNames);
        if (info.Kind == SequenceInputKind.Fixed)
            return new OnnxModelFile(scoring.ToBytes());
        var deployment = SequenceOnnx.Deployment(network, info, inputShape[0], _options.FeatureColumnName, doc);
        AddPredictionHeads(deployment, SequenceOnnx.Logits, outputs, classNames);
        return new OnnxModelFile(scoring.ToBytes(), deployment.ToBytes());
    }

    private protected override ITransformer FitScoringChain(OnnxModelFile onnx, IDataView trainData)
    {
        var ml = new MLContext();
        var info = Info;
        string feature = _options.FeatureColumnName;
        IEstimator<ITransformer>? prepare = null;
        var inputs = new List<string>();
        var temporary = new List<string>();
        if (info.Kind == SequenceInputKind.Tokens)
        {
            // OnnxTransformer needs a known-size vector: the keys' words (built-in MapKeyToValue; a missing key gives
            // ""), padded by the stateless glue; the graph looks the words up.
            prepare = ml.Transforms.Conversion.MapKeyToValue(SequencePadding.TokenInputColumn, feature)
                .Append(SequencePadding.CreateForTokens(ml, SequencePadding.TokenSizeFor(_steps)));
            inputs.Add(SequencePadding.PaddedTokensColumn);
            temporary.AddRange([SequencePadding.TokenInputColumn, SequencePadding.PaddedTokensColumn, SequencePadding.CountColumn]);
        }
        else if (info.IsVariableSize)
        {
            prepare = ml.Transforms.CopyColumns(SequencePadding.InputColumn, feature)
                .Append(SequencePadding.Create(ml, SequencePadding.SizeFor((long)_steps * info.Features)));
            inputs.Add(SequencePadding.PaddedColumn);
            temporary.AddRange([SequencePadding.InputColumn, SequencePadding.PaddedColumn, SequencePadding.CountColumn]);
        }
        else
        {
            inputs.Add(feature);
        }
        if (info.Kind == SequenceInputKind.Padded)
        {
            if (info.LengthColumn is { } lengths)
            {
                var convert = ml.Transforms.Conversion.ConvertType(SequenceOnnx.LengthsColumn, lengths, DataKind.Single);
                prepare = prepare is null ? convert : prepare.Append(convert);
                inputs.Add(SequenceOnnx.LengthsColumn);
                temporary.Add(SequenceOnnx.LengthsColumn);
            }
            else
            {
                inputs.Add(SequencePadding.CountColumn);
            }
        }
        return ScoringChain.Fit(ml, onnx, Kind, trainData, feature, _options.LabelColumnName,
            new ScoringChain.ScoringInputs(prepare, inputs.ToArray(), temporary.ToArray()));
    }

    // A known-size Single column goes to the graph as it is, so it must keep its size; padded variable-size and token
    // columns go through the chain's padding glue, which accepts any length.
    private protected override FeatureColumnCheck? CreateFeatureCheck(DataViewSchema.Column trainingColumn, int[] inputShape) =>
        Info is { Kind: not SequenceInputKind.Tokens, IsVariableSize: false } info ? FeatureColumnCheck.ForVector(trainingColumn.Name, info.KnownSize) : null;

    private protected override void CheckFeatureShape(SchemaShape.Column feature)
    {
        bool keys = feature.IsKey;
        if (feature.Kind == SchemaShape.Column.VectorKind.Scalar || (!keys && feature.ItemType != NumberDataViewType.Single))
            throw new ArgumentException(
                $"Feature column '{_options.FeatureColumnName}' has type {feature.ItemType} ({feature.Kind}); a sequence trainer expects a vector of Single " +
                "(time steps × features, known or variable size) or of keys (tokens).");
    }
}
