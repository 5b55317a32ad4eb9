using Microsoft.ML.DeepExtensions.Engine.Initializers;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Engine.Networks;

/// <summary>
/// Ready-made convolutional networks for image classification on NCHW input <c>(N, C, H, W)</c>, returning
/// class logits <c>(N, classes)</c> (pair them with a cross-entropy loss). Each preset is a plain
/// <see cref="Sequential"/>, initialized from a fixed seed; call <see cref="Layer.Initialize"/> to re-draw.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><see cref="LeNet5"/>: LeCun, Bottou, Bengio &amp; Haffner, "Gradient-Based Learning Applied to Document
/// Recognition", Proc. IEEE 1998, in its common modern form (ReLU, max pooling).</item>
/// <item><see cref="Vgg"/>: Simonyan &amp; Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
/// Recognition", ICLR 2015, scaled down: stages of 3×3 convolutions, each stage closed by 2×2 max pooling.</item>
/// <item><see cref="ResNet"/>: He, Zhang, Ren &amp; Sun, "Deep Residual Learning for Image Recognition", CVPR 2016,
/// in its CIFAR form (3×3 stem, stages of basic blocks, global average pooling).</item>
/// </list>
/// </remarks>
public static class ConvNets
{
    /// <summary>
    /// LeNet-5 as commonly used on 28×28 MNIST (and as benchmark workload W2 defines it):
    /// <c>Conv2d(C→6, 5, padding 2) → ReLU → MaxPool2d(2) → Conv2d(6→16, 5) → ReLU → MaxPool2d(2) → Flatten →
    /// Linear(16·h·w→120) → ReLU → Linear(120→84) → ReLU → Linear(84→classes)</c>, where <c>h = ⌊(⌊H/2⌋ − 4)/2⌋</c>
    /// (5 for 28×28, so 400 features and 61,706 parameters for 10 classes).
    /// </summary>
    /// <remarks>Layer indices (parameter names <c>{index}.weight</c>): convolutions 0 and 3, linear layers 7, 9, 11.
    /// PyTorch's default initialization (<see cref="FanInUniform"/>) everywhere.</remarks>
    /// <param name="inChannels">Image channels <c>C</c> (1 for grey-scale). Default 1.</param>
    /// <param name="height">Image height <c>H</c> (≥ 12). Default 28.</param>
    /// <param name="width">Image width <c>W</c> (≥ 12). Default 28.</param>
    /// <param name="classes">Number of outputs (≥ 1): the classes of a softmax classifier, or 1 for a single logit or a regression output. Default 10.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Sequential LeNet5(int inChannels = 1, int height = 28, int width = 28, int classes = 10)
    {
        CheckImage(inChannels, height, width, classes, minSize: 12);
        var layers = new List<Layer>
        {
            new Conv2d(inChannels, 6, 5, padding: 2), new ReLU(), new MaxPool2d(2),
            new Conv2d(6, 16, 5), new ReLU(), new MaxPool2d(2),
            new Flatten(),
        };
        int features = FlatFeatures(layers, inChannels, height, width);
        layers.AddRange([new Linear(features, 120), new ReLU(), new Linear(120, 84), new ReLU(), new Linear(84, classes)]);
        return Build(layers, seed: 5);
    }

    /// <summary>
    /// A small VGG-style network: for each stage <c>s</c> with <c>C_s</c> channels, <paramref name="convsPerStage"/> ×
    /// <c>[Conv2d(3×3, padding 1) → BatchNorm2d → ReLU]</c> then <c>MaxPool2d(2)</c>; then
    /// <c>Flatten → Linear(C_last·h·w → hidden) → ReLU → Dropout(p) → Linear(hidden → classes)</c>.
    /// </summary>
    /// <remarks>Defaults: stages of 32, 64 and 128 channels, 2 convolutions each, batch normalization (convolutions then
    /// have no bias), 256 hidden units, dropout 0.5; a 32×32 RGB image gives 2,048 features before the classifier.
    /// Convolutions use He normal initialization with fan_out (as torchvision's VGG), linear layers PyTorch's default.
    /// The original VGG has 5 stages of 64 to 512 channels and two 4096-unit hidden layers.</remarks>
    /// <param name="inChannels">Image channels <c>C</c>.</param>
    /// <param name="height">Image height <c>H</c>, at least <c>2^stages</c>.</param>
    /// <param name="width">Image width <c>W</c>, at least <c>2^stages</c>.</param>
    /// <param name="classes">Number of outputs (≥ 1): the classes of a softmax classifier, or 1 for a single logit or a regression output.</param>
    /// <param name="stageChannels">Channels of each stage; default [32, 64, 128].</param>
    /// <param name="convsPerStage">3×3 convolutions per stage (≥ 1). Default 2.</param>
    /// <param name="batchNorm">Insert <see cref="BatchNorm2d"/> after each convolution. Default true.</param>
    /// <param name="hiddenUnits">Units of the hidden classifier layer (≥ 1). Default 256.</param>
    /// <param name="dropout">Dropout before the last layer, in [0, 1). Default 0.5.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Sequential Vgg(int inChannels, int height, int width, int classes, IReadOnlyList<int>? stageChannels = null,
        int convsPerStage = 2, bool batchNorm = true, int hiddenUnits = 256, float dropout = 0.5f)
    {
        stageChannels ??= [32, 64, 128];
        CheckStages(stageChannels, convsPerStage, nameof(convsPerStage));
        CheckImage(inChannels, height, width, classes, minSize: 1 << stageChannels.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenUnits, 1);
        var layers = new List<Layer>();
        int channels = inChannels;
        foreach (int c in stageChannels)
        {
            for (int i = 0; i < convsPerStage; i++, channels = c)
                AddConvBlock(layers, channels, c, stride: 1, batchNorm, relu: true);
            layers.Add(new MaxPool2d(2));
        }
        layers.Add(new Flatten());
        int features = FlatFeatures(layers, inChannels, height, width);
        layers.AddRange([new Linear(features, hiddenUnits), new ReLU(), new Dropout(dropout), new Linear(hiddenUnits, classes)]);
        return Build(layers, seed: 16);
    }

    /// <summary>
    /// A small ResNet in the CIFAR form of He et al.: stem <c>Conv2d(C→C_0, 3×3, padding 1) → BatchNorm2d → ReLU</c>;
    /// for each stage <c>s</c>, <paramref name="blocksPerStage"/> basic blocks
    /// <c>ReLU(F(x) + S(x))</c> with <c>F = Conv2d(3×3, stride) → BatchNorm2d → ReLU → Conv2d(3×3) → BatchNorm2d</c>,
    /// the first block of every stage after the first using stride 2; <c>S</c> is the identity, or a 1×1
    /// convolution with batch normalization (option B) where the shape changes; then
    /// <c>GlobalAvgPool2d → Linear(C_last → classes)</c>.
    /// </summary>
    /// <remarks>Defaults: stages of 16, 32 and 64 channels, 3 blocks each: ResNet-20 (6n + 2 layers with n = 3,
    /// 0.27 M parameters; the paper's CIFAR shortcuts are option A, zero padding). Convolutions have no bias and use He
    /// normal initialization with fan_out, batch-norm γ = 1 and β = 0 (as torchvision), the linear layer PyTorch's
    /// default.</remarks>
    /// <param name="inChannels">Image channels <c>C</c>.</param>
    /// <param name="height">Image height <c>H</c>.</param>
    /// <param name="width">Image width <c>W</c>.</param>
    /// <param name="classes">Number of outputs (≥ 1): the classes of a softmax classifier, or 1 for a single logit or a regression output.</param>
    /// <param name="stageChannels">Channels of each stage; default [16, 32, 64].</param>
    /// <param name="blocksPerStage">Basic blocks per stage (≥ 1). Default 3.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public static Sequential ResNet(int inChannels, int height, int width, int classes, IReadOnlyList<int>? stageChannels = null,
        int blocksPerStage = 3)
    {
        stageChannels ??= [16, 32, 64];
        CheckStages(stageChannels, blocksPerStage, nameof(blocksPerStage));
        CheckImage(inChannels, height, width, classes, minSize: 1);
        var layers = new List<Layer>();
        AddConvBlock(layers, inChannels, stageChannels[0], stride: 1, batchNorm: true, relu: true);
        int channels = stageChannels[0];
        for (int s = 0; s < stageChannels.Count; s++)
        {
            int c = stageChannels[s];
            for (int b = 0; b < blocksPerStage; b++)
            {
                int stride = s > 0 && b == 0 ? 2 : 1;
                var branch = new List<Layer>();
                AddConvBlock(branch, channels, c, stride, batchNorm: true, relu: true);
                AddConvBlock(branch, c, c, stride: 1, batchNorm: true, relu: false);
                Layer? shortcut = stride != 1 || channels != c
                    ? new Sequential(new Conv2d(channels, c, 1, stride: stride, bias: false, weightInitializer: HeFanOut), new BatchNorm2d(c))
                    : null;
                layers.Add(new ResidualBlock(new Sequential(branch), shortcut, new ReLU()));
                channels = c;
            }
        }
        layers.AddRange([new GlobalAvgPool2d(), new Linear(channels, classes)]);
        return Build(layers, seed: 20);
    }

    private static void AddConvBlock(List<Layer> layers, int inChannels, int outChannels, int stride, bool batchNorm, bool relu)
    {
        layers.Add(new Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: !batchNorm,
            weightInitializer: HeFanOut, biasInitializer: Constant.Zeros));
        if (batchNorm) layers.Add(new BatchNorm2d(outChannels));
        if (relu) layers.Add(new ReLU());
    }

    private static readonly HeNormal HeFanOut = new(mode: FanMode.FanOut);

    // The flattened feature count after the layers so far (without wrapping them in a Sequential, which would rename their parameters).
    private static int FlatFeatures(List<Layer> layers, int c, int h, int w)
    {
        int[] shape = [c, h, w];
        foreach (var layer in layers) shape = layer.GetOutputShape(shape);
        return shape[0];
    }

    private static Sequential Build(List<Layer> layers, ulong seed)
    {
        var net = new Sequential(layers);
        net.Initialize(new Rng(seed));
        return net;
    }

    private static void CheckImage(int inChannels, int height, int width, int classes, int minSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, minSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, minSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1); // 1: binary logit or regression (the ConvNet trainers)
    }

    private static void CheckStages(IReadOnlyList<int> stageChannels, int perStage, string perStageName)
    {
        if (stageChannels.Count == 0 || stageChannels.Any(c => c < 1))
            throw new ArgumentOutOfRangeException(nameof(stageChannels), "Each stage needs at least one channel, and at least one stage is needed.");
        ArgumentOutOfRangeException.ThrowIfLessThan(perStage, 1, perStageName);
    }
}
