using Microsoft.ML.DeepExtensions.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// The input and architecture options of the sequence trainers (<c>Rnn</c>, <c>Lstm</c>, <c>Gru</c> in the
/// binary, multiclass and regression catalogs). The network is
/// <c>[Embedding(K + 1, E, padding 0)] → RNN/LSTM/GRU(·, H, layers, bidirectional, dropout) → SequencePooling(last | mean) → Linear(D·H, outputs)</c>.
/// </summary>
/// <remarks>
/// <para><b>Inputs.</b> The feature column is one of:</para>
/// <list type="number">
/// <item>a known-size vector of Single holding <c>T × F</c> values, step by step (step 0's <c>F</c> features first):
/// <c>F</c> is <see cref="FeaturesPerStep"/>, else <c>size / TimeSteps</c>, else the column's second dimension when it
/// declares two <c>(T, F)</c>, else 1 (a univariate series). Every sequence has all <c>T</c> steps.</item>
/// <item>a vector of Single of variable size (<c>steps × F</c> values per row), or a known-size one whose rows are padded,
/// with its valid lengths in <see cref="LengthColumnName"/> (a numeric column; for variable-size vectors it may be
/// omitted: the length is then the row's size / F). Padded steps change neither the state nor the output.</item>
/// <item>a vector of keys (known or variable size), e.g. words after <c>TokenizeIntoWords</c> + <c>MapValueToKey</c>: an
/// <see cref="Embedding"/> of <see cref="EmbeddingDimension"/> comes first, with one row per key plus row 0 for key 0
/// (missing: a word not in the vocabulary, or padding). Trailing key-0 tokens count as padding.</item>
/// </list>
/// <para><b>Length.</b> Training pads every sequence to the longest one of the training data, or to
/// <see cref="MaxSequenceLength"/>, which truncates longer sequences by keeping their <b>first</b>
/// <see cref="MaxSequenceLength"/> steps. Scoring in ML.NET pads and truncates the same way (to the training length); the
/// exported ONNX graph (<c>SaveAsOnnx</c>) of inputs 2 and 3 accepts any length.</para>
/// </remarks>
public abstract class RecurrentOptionsBase : NeuralTrainerOptionsBase
{
    /// <summary>Features of the hidden state <c>H</c> (per direction), ≥ 1. Default 64.</summary>
    public int HiddenSize { get; set; } = 64;

    /// <summary>Stacked recurrent layers, ≥ 1. Default 1.</summary>
    public int NumberOfLayers { get; set; } = 1;

    /// <summary>Run each layer in both time directions (the output has <c>2·H</c> features). Default false.</summary>
    public bool Bidirectional { get; set; }

    /// <summary>
    /// Dropout probability between stacked recurrent layers (PyTorch's <c>dropout</c>), in [0, 1). Default 0. With one layer
    /// it has no effect (training logs a warning, as PyTorch does).
    /// </summary>
    public float Dropout { get; set; }

    /// <summary>How the sequence of outputs becomes one vector: the last valid step (default) or the mean over valid steps.</summary>
    public SequencePoolingMode Pooling { get; set; } = SequencePoolingMode.Last;

    /// <summary>Token input: the size <c>E</c> of the learned word vectors, ≥ 1. Default 64.</summary>
    public int EmbeddingDimension { get; set; } = 64;

    /// <summary>The activation of the <c>Rnn</c> cell (tanh or ReLU). Default tanh.</summary>
    public RnnNonlinearity RnnNonlinearity { get; set; } = RnnNonlinearity.Tanh;

    /// <summary>Single input: values per time step <c>F</c>, ≥ 1. Null (default): see the class remarks.</summary>
    public int? FeaturesPerStep { get; set; }

    /// <summary>Known-size Single input: the number of time steps <c>T</c> (then <c>F = size / T</c>), or null (default).</summary>
    public int? TimeSteps { get; set; }

    /// <summary>
    /// Single input: a numeric column holding the valid number of steps of each row's sequence (padding follows), or null
    /// (default): every step of a known-size vector is valid, and a variable-size vector is valid to its end.
    /// </summary>
    public string? LengthColumnName { get; set; }

    /// <summary>The most steps a sequence keeps (its first ones), ≥ 1, or null (default) for the longest sequence of the training data.</summary>
    public int? MaxSequenceLength { get; set; }

    internal SequencePacker.Spec Spec => new(FeatureColumnName, FeaturesPerStep, TimeSteps, LengthColumnName, MaxSequenceLength);

    /// <inheritdoc />
    internal override IEnumerable<string> Warnings()
    {
        if (Dropout > 0 && NumberOfLayers == 1)
            yield return $"Dropout {Dropout} has no effect with NumberOfLayers = 1: it applies between stacked recurrent layers.";
    }

    internal override void Validate()
    {
        base.Validate();
        Positive(HiddenSize, nameof(HiddenSize));
        Positive(NumberOfLayers, nameof(NumberOfLayers));
        Positive(EmbeddingDimension, nameof(EmbeddingDimension));
        if (!(Dropout >= 0 && Dropout < 1))
            throw new ArgumentOutOfRangeException(nameof(Dropout), Dropout, "Dropout must be in [0, 1).");
        if (Pooling is not (SequencePoolingMode.Last or SequencePoolingMode.Mean))
            throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, "Pooling must be Last or Mean.");
        if (RnnNonlinearity is not (RnnNonlinearity.Tanh or RnnNonlinearity.ReLU))
            throw new ArgumentOutOfRangeException(nameof(RnnNonlinearity), RnnNonlinearity, "RnnNonlinearity must be Tanh or ReLU.");
        if (FeaturesPerStep is int f) Positive(f, nameof(FeaturesPerStep));
        if (TimeSteps is int t) Positive(t, nameof(TimeSteps));
        if (MaxSequenceLength is int m) Positive(m, nameof(MaxSequenceLength));
        if (LengthColumnName is not null && string.IsNullOrEmpty(LengthColumnName))
            throw new ArgumentException("LengthColumnName must be null or a column name.", nameof(LengthColumnName));
        if (LengthColumnName == FeatureColumnName || LengthColumnName == LabelColumnName)
            throw new ArgumentException($"LengthColumnName '{LengthColumnName}' names the feature or label column.", nameof(LengthColumnName));
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= 1.");
    }

    /// <summary>Builds and initializes the network for input read as <paramref name="info"/> and <paramref name="outputs"/> outputs.</summary>
    internal Sequential BuildNetwork(RecurrentCell cell, SequenceColumnInfo info, int outputs, Rng rng)
    {
        var layers = new List<Layer>();
        SequenceLengths? lengths = info.Kind == SequenceInputKind.Fixed ? null : new SequenceLengths();
        int inputSize = info.Features;
        if (info.Kind == SequenceInputKind.Tokens)
        {
            layers.Add(new Embedding(info.KeyCount + 1, EmbeddingDimension, paddingIdx: 0) { Lengths = lengths });
            inputSize = EmbeddingDimension;
        }
        RecurrentLayer recurrent = cell switch
        {
            RecurrentCell.Lstm => new LSTM(inputSize, HiddenSize, NumberOfLayers, bidirectional: Bidirectional, dropout: Dropout),
            RecurrentCell.Gru => new GRU(inputSize, HiddenSize, NumberOfLayers, bidirectional: Bidirectional, dropout: Dropout),
            RecurrentCell.Rnn => new RNN(inputSize, HiddenSize, NumberOfLayers, RnnNonlinearity, bidirectional: Bidirectional, dropout: Dropout),
            _ => throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown recurrent cell."),
        };
        recurrent.Lengths = lengths;
        layers.Add(recurrent);
        layers.Add(new SequencePooling(Pooling, Bidirectional) { Lengths = lengths });
        layers.Add(new Linear(recurrent.Directions * HiddenSize, outputs));
        var network = new Sequential(layers);
        network.Initialize(rng);
        return network;
    }
}
