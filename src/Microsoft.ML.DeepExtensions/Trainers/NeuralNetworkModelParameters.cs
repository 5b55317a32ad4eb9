using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// What a neural trainer learned: the trained network of the managed engine, the options it was trained with and
/// the per-epoch history (the <c>Model</c> of the prediction transformers, like ML.NET's model parameters).
/// </summary>
public sealed class NeuralNetworkModelParameters
{
    internal NeuralNetworkModelParameters(Sequential network, int[] inputShape, NeuralTrainerOptionsBase options, TrainingHistory history, IReadOnlyList<string>? classNames)
    {
        Network = network;
        InputShape = inputShape;
        Options = options;
        History = history;
        ClassNames = classNames;
    }

    /// <summary>
    /// The trained network. Input <c>(N, *InputShape)</c>; output the raw scores: logits <c>(N, C)</c> for multiclass,
    /// one logit <c>(N, 1)</c> for binary, the prediction <c>(N, 1)</c> for regression. Inspect it; do not train it further
    /// (the scoring chain holds an ONNX copy taken when training ended).
    /// </summary>
    public Sequential Network { get; }

    /// <summary>The per-example input shape, e.g. <c>[64]</c>.</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The options the model was trained with (cast to the trainer's <c>Options</c> type).</summary>
    public NeuralTrainerOptionsBase Options { get; }

    /// <summary>The per-epoch metrics, and how training ended.</summary>
    public TrainingHistory History { get; }

    /// <summary>Multiclass: the label's key values as text, in class-index order (null otherwise, or when the key has no values).</summary>
    public IReadOnlyList<string>? ClassNames { get; }
}
