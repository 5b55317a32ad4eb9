using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Networks;
using Microsoft.ML.DeepExtensions.Engine.Training;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>The architecture of a convolutional network trainer.</summary>
public enum ConvNetArchitecture
{
    /// <summary>LeNet-5 (LeCun et al. 1998), see <see cref="ConvNets.LeNet5"/>. The default; for small grey-scale images such as MNIST.</summary>
    LeNet5,

    /// <summary>A small VGG-style stack of 3×3 convolution stages (Simonyan &amp; Zisserman 2015), see <see cref="ConvNets.Vgg"/>.</summary>
    Vgg,

    /// <summary>A small ResNet with basic residual blocks (He et al. 2016), see <see cref="ConvNets.ResNet"/>.</summary>
    ResNet,

    /// <summary>The layer list in <see cref="ConvNetOptionsBase.Layers"/>.</summary>
    Custom,
}

/// <summary>The shape of the images a convolutional network reads: channels, height and width (NCHW).</summary>
/// <param name="Channels">Channels C (1 for grey-scale, 3 for RGB).</param>
/// <param name="Height">Height H in pixels.</param>
/// <param name="Width">Width W in pixels.</param>
public sealed record ImageShape(int Channels, int Height, int Width);

/// <summary>
/// The architecture options of the convolutional trainers. The feature column holds each image as a vector of
/// <c>C·H·W</c> Single values in channel-major (CHW) order: the output of ML.NET's <c>ExtractPixels</c>, or pixel
/// vectors you build yourself.
/// </summary>
public abstract class ConvNetOptionsBase : NeuralTrainerOptionsBase
{
    /// <summary>Creates options with the defaults of image training: 10 epochs of batches of 64.</summary>
    protected ConvNetOptionsBase()
    {
        NumberOfEpochs = 10;
        BatchSize = 64;
    }

    /// <summary>
    /// The image shape. Null (the default) reads it from the feature column's dimensions (<c>(C, H, W)</c>, as
    /// <c>ExtractPixels</c> declares them, or <c>(H, W)</c> for one channel). The pixels must be channel-major: dimensions
    /// that look like <c>ExtractPixels(interleavePixelColors: true)</c>'s <c>(H, W, C)</c> (last dimension ≤ 4, first &gt; 4)
    /// are rejected unless this shape is set.
    /// When set, it must hold as many values as the column and agree with the column's declared dimensions, if it declares
    /// more than one: equal to them once leading 1s are dropped (so <c>(H, W)</c> means <c>(1, H, W)</c>), or their
    /// <c>(H, W, C)</c> order (which says that a column declared as interleaved holds channel-major values). <c>Fit</c>
    /// throws <see cref="ArgumentException"/> (<c>ParamName</c> <c>ImageShape</c>) naming both shapes otherwise, e.g. for
    /// <c>(4, 14, 14)</c> on a column declared <c>(1, 28, 28)</c>. A flat vector (no dimensions) needs this shape.
    /// </summary>
    public ImageShape? ImageShape { get; set; }

    /// <summary>The network. Default <see cref="ConvNetArchitecture.LeNet5"/>.</summary>
    public ConvNetArchitecture Architecture { get; set; } = ConvNetArchitecture.LeNet5;

    /// <summary>
    /// VGG and ResNet: channels of each stage (at least one stage, each ≥ 1). Null for the preset's default ([32, 64, 128]
    /// for VGG, [16, 32, 64] for ResNet). <c>Fit</c> throws <see cref="ArgumentOutOfRangeException"/> for an empty list or a
    /// value below 1.
    /// </summary>
    public int[]? StageChannels { get; set; }

    /// <summary>
    /// VGG: convolutions per stage; ResNet: residual blocks per stage (≥ 1). Null for the preset's default (2 and 3).
    /// <c>Fit</c> throws <see cref="ArgumentOutOfRangeException"/> for a value below 1.
    /// </summary>
    public int? BlocksPerStage { get; set; }

    /// <summary>
    /// <see cref="ConvNetArchitecture.Custom"/>: the layers, Keras-style (e.g. <c>[new Conv2dSpec(32), new ActivationSpec(),
    /// new MaxPool2dSpec(), new FlattenSpec(), new DenseSpec(64), new ActivationSpec()]</c>); the output layer is appended.
    /// Must be null or empty for the presets: <c>Fit</c> throws <see cref="ArgumentException"/> when layers are listed
    /// with another <see cref="Architecture"/>.
    /// </summary>
    public IReadOnlyList<LayerSpec>? Layers { get; set; }

    /// <summary>
    /// Image augmentation applied to every training batch on the fly (e.g.
    /// <c>new ImageAugmentationPipeline(new RandomCrop(padding: 4), new RandomHorizontalFlip())</c>), or null for none.
    /// Each epoch sees freshly augmented images, seeded per (epoch, row) from the run's seed, so training stays
    /// repeatable. Validation data and scoring are never augmented, and the saved model holds no trace of it.
    /// Default null.
    /// </summary>
    public ImageAugmentationPipeline? Augmentation { get; set; }

    internal override IBatchAugmenter? CreateAugmenter(ulong seed) => Augmentation?.CreateBatchAugmenter(seed);

    /// <summary>Builds the network for images of <paramref name="shape"/> and <paramref name="outputs"/> outputs, initialized from <paramref name="rng"/>.</summary>
    internal Sequential BuildNetwork(ImageShape shape, int outputs, Rng rng)
    {
        var (c, h, w) = shape;
        Augmentation?.CheckShape(c, h, w); // fails before training when a step cannot take these images
        Sequential network;
        try
        {
            network = Architecture switch
            {
                ConvNetArchitecture.LeNet5 => ConvNets.LeNet5(c, h, w, outputs),
                ConvNetArchitecture.Vgg => ConvNets.Vgg(c, h, w, outputs, StageChannels, convsPerStage: BlocksPerStage ?? 2),
                ConvNetArchitecture.ResNet => ConvNets.ResNet(c, h, w, outputs, StageChannels, blocksPerStage: BlocksPerStage ?? 3),
                ConvNetArchitecture.Custom => BuildCustom([c, h, w], outputs),
                _ => throw new ArgumentOutOfRangeException(nameof(Architecture), Architecture, "Unknown architecture."),
            };
        }
        catch (ArgumentOutOfRangeException e) when (Architecture != ConvNetArchitecture.Custom && e.ParamName != nameof(Architecture))
        {
            // The presets check their arguments by name (height, width, stageChannels, ...): say which images they were given.
            throw new ArgumentException($"The {Architecture} architecture cannot be built for images of shape ({c}, {h}, {w}) with {outputs} outputs: {MessageOf(e)}", nameof(Architecture), e);
        }
        network.Initialize(rng);
        return network;
    }

    private Sequential BuildCustom(int[] inputShape, int outputs)
    {
        if (Layers is not { Count: > 0 })
            throw new ArgumentException("Architecture is Custom but Layers is empty: list the layers (e.g. Conv2dSpec, ActivationSpec, MaxPool2dSpec, ...).", nameof(Layers));
        var (stack, shape) = BuildStack(Layers, inputShape);
        var layers = new List<Layer>(stack.Layers);
        if (shape.Length != 1)
        {
            layers.Add(new Flatten());
            shape = [shape.Aggregate(1, (a, b) => a * b)];
        }
        layers.Add(new Linear(shape[0], outputs));
        return new Sequential(layers);
    }

    /// <summary>Builds the layers of <paramref name="specs"/> in order, inferring each input shape; returns them and the output shape.</summary>
    /// <param name="specs">The layer specs.</param>
    /// <param name="inputShape">The per-example input shape.</param>
    /// <param name="name">The name of the list in error messages (<c>Layers</c>, or <c>Body</c> of a residual block).</param>
    /// <exception cref="ArgumentException">A spec is null or cannot take its input (the message names <c>{name}[i]</c>), or the list is empty.</exception>
    internal static (Sequential Stack, int[] OutputShape) BuildStack(IReadOnlyList<LayerSpec> specs, IReadOnlyList<int> inputShape, string name = nameof(Layers))
    {
        if (specs is null) throw new ArgumentException($"{name} is null.", nameof(Layers));
        var layers = new List<Layer>();
        int[] shape = inputShape.ToArray();
        for (int i = 0; i < specs.Count; i++)
        {
            var spec = specs[i] ?? throw new ArgumentException($"{name}[{i}] is null.", nameof(Layers));
            Layer layer;
            try
            {
                layer = spec.Build(shape);
                shape = layer.GetOutputShape(shape);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{name}[{i}] ({spec}) cannot take input of shape ({string.Join(", ", shape)}): {MessageOf(e)}", nameof(Layers), e);
            }
            layers.Add(layer);
        }
        if (layers.Count == 0) throw new ArgumentException($"{name} needs at least one layer.", nameof(Layers));
        return (new Sequential(layers), shape);
    }

    // An ArgumentException's message without the " (Parameter 'x')" suffix, for nesting in another message.
    private static string MessageOf(ArgumentException e) =>
        e.ParamName is { } p ? e.Message.Replace($" (Parameter '{p}')", "", StringComparison.Ordinal) : e.Message;

    private protected override void CopyArrays()
    {
        base.CopyArrays();
        StageChannels = (int[]?)StageChannels?.Clone();
        Layers = Layers?.ToArray();
    }

    internal override void Validate()
    {
        base.Validate();
        if (ImageShape is { } s && (s.Channels < 1 || s.Height < 1 || s.Width < 1))
            throw new ArgumentOutOfRangeException(nameof(ImageShape), s, "Every image dimension must be >= 1.");
        if (BlocksPerStage is int blocks && blocks < 1)
            throw new ArgumentOutOfRangeException(nameof(BlocksPerStage), blocks,
                "BlocksPerStage must be >= 1 (VGG: convolutions per stage; ResNet: residual blocks per stage), or null for the preset's default.");
        if (StageChannels is { } stages)
        {
            if (stages.Length == 0)
                throw new ArgumentOutOfRangeException(nameof(StageChannels), "StageChannels lists no stage: give at least one channel count, or null for the preset's default.");
            for (int i = 0; i < stages.Length; i++)
                if (stages[i] < 1)
                    throw new ArgumentOutOfRangeException(nameof(StageChannels), stages[i], $"StageChannels[{i}] is {stages[i]}; every stage needs at least one channel.");
        }
        if (Architecture == ConvNetArchitecture.Custom && Layers is not { Count: > 0 })
            throw new ArgumentException("Architecture is Custom but Layers is empty.", nameof(Layers));
        if (Architecture != ConvNetArchitecture.Custom && Layers is { Count: > 0 })
            throw new ArgumentException(
                $"Layers lists {Layers.Count} layer(s) but Architecture is {Architecture}, which would ignore them: set Architecture = ConvNetArchitecture.Custom to train them.",
                nameof(Layers));
    }
}
