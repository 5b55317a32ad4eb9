using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// The architecture of a multilayer perceptron: for each hidden size <c>h</c>, the block
/// <c>Linear(·, h) → [BatchNorm1d(h)] → activation → [Dropout(p)]</c>, then <c>Linear(·, outputs)</c>.
/// Weights use PyTorch's default initialization <c>U(−1/√fan_in, 1/√fan_in)</c>.
/// </summary>
public abstract class MlpOptionsBase : NeuralTrainerOptionsBase
{
    /// <summary>Sizes of the hidden layers, each ≥ 1; empty for a linear model. Default <c>[128]</c>.</summary>
    public int[] HiddenLayerSizes { get; set; } = [128];

    /// <summary>The hidden-layer activation. Default <see cref="ActivationKind.ReLU"/>.</summary>
    public ActivationKind Activation { get; set; } = ActivationKind.ReLU;

    /// <summary>Negative slope of <see cref="ActivationKind.LeakyReLU"/>. Default 0.01.</summary>
    public float LeakyReluSlope { get; set; } = 0.01f;

    /// <summary>Dropout probability after each hidden activation, in [0, 1). Default 0.</summary>
    public float DropoutRate { get; set; }

    /// <summary>Insert BatchNorm1d after each hidden Linear layer. Default false.</summary>
    public bool BatchNormalization { get; set; }

    /// <inheritdoc />
    private protected override void CopyArrays()
    {
        base.CopyArrays();
        HiddenLayerSizes = (int[])HiddenLayerSizes?.Clone()!;
    }

    internal override void Validate()
    {
        base.Validate();
        ArgumentNullException.ThrowIfNull(HiddenLayerSizes, nameof(HiddenLayerSizes));
        foreach (int h in HiddenLayerSizes)
            if (h < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayerSizes), h, "Every hidden layer size must be >= 1.");
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            throw new ArgumentOutOfRangeException(nameof(DropoutRate), DropoutRate, "DropoutRate must be in [0, 1).");
        if (BatchNormalization && HiddenLayerSizes.Length > 0 && BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchNormalization needs BatchSize >= 2: batch statistics are undefined for one example.");
    }

    /// <summary>Builds the network for <paramref name="inputSize"/> inputs and <paramref name="outputSize"/> outputs, initialized from <paramref name="rng"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A hidden size or the dropout rate is out of range.</exception>
    internal Sequential BuildNetwork(int inputSize, int outputSize, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(HiddenLayerSizes, nameof(HiddenLayerSizes));
        if (!(DropoutRate >= 0 && DropoutRate < 1))
            throw new ArgumentOutOfRangeException(nameof(DropoutRate), DropoutRate, "DropoutRate must be in [0, 1).");
        var layers = new List<Layer>();
        int width = inputSize;
        foreach (int h in HiddenLayerSizes)
        {
            if (h < 1) throw new ArgumentOutOfRangeException(nameof(HiddenLayerSizes), h, "Every hidden layer size must be >= 1.");
            layers.Add(new Linear(width, h));
            if (BatchNormalization) layers.Add(new BatchNorm1d(h));
            layers.Add(CreateActivation(Activation, LeakyReluSlope));
            if (DropoutRate > 0) layers.Add(new Dropout(DropoutRate));
            width = h;
        }
        layers.Add(new Linear(width, outputSize));
        var network = new Sequential(layers);
        network.Initialize(rng);
        return network;
    }

    /// <summary>The engine layer for an activation kind.</summary>
    internal static Layer CreateActivation(ActivationKind activation, float leakyReluSlope) => activation switch
    {
        ActivationKind.ReLU => new ReLU(),
        ActivationKind.LeakyReLU => new LeakyReLU(leakyReluSlope),
        ActivationKind.ELU => new ELU(),
        ActivationKind.GELU => new GELU(),
        ActivationKind.SiLU => new SiLU(),
        ActivationKind.Tanh => new Tanh(),
        ActivationKind.Sigmoid => new Sigmoid(),
        ActivationKind.Softplus => new Softplus(),
        _ => throw new ArgumentOutOfRangeException(nameof(Activation), activation, "Unknown activation."),
    };
}
