using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

[TestClass]
public sealed class ResidualBlockTests
{
    private static Sequential Branch(int cIn, int cOut, int stride, bool batchNorm) => batchNorm
        ? new Sequential(new Conv2d(cIn, cOut, 3, stride, 1, bias: false), new BatchNorm2d(cOut), new Tanh(),
            new Conv2d(cOut, cOut, 3, padding: 1, bias: false), new BatchNorm2d(cOut))
        : new Sequential(new Conv2d(cIn, cOut, 3, stride, 1), new Tanh(), new Conv2d(cOut, cOut, 3, padding: 1));

    [TestMethod]
    [DataRow(false, false)]
    [DataRow(true, false)]
    [DataRow(false, true)]
    [DataRow(true, true)]
    public void IdentityShortcutGradientsMatchFiniteDifferences(bool batchNorm, bool activation)
    {
        // Smooth activations (Tanh, SiLU) keep the finite differences away from kinks.
        var block = new ResidualBlock(Branch(3, 3, 1, batchNorm), activation: activation ? new SiLU() : null);
        block.Initialize(new Rng(1));
        GradientCheck.Check(block, TestTensors.Uniform(new Rng(2), [2, 3, 5, 4]));
    }

    [TestMethod]
    [DataRow(2, true)]
    [DataRow(1, true)]
    [DataRow(2, false)]
    public void ProjectionShortcutGradientsMatchFiniteDifferences(int stride, bool batchNorm)
    {
        var block = ResidualBlock.Create(Branch(2, 4, stride, batchNorm), [2, 7, 6], new SiLU(), projectionBatchNorm: batchNorm);
        block.Shortcut.Should().NotBeNull();
        block.Initialize(new Rng(3));
        GradientCheck.Check(block, TestTensors.Uniform(new Rng(4), [3, 2, 7, 6]));
    }

    [TestMethod]
    public void ComputesActivationOfBranchPlusShortcut()
    {
        // F = ×(-3) via a 1×1 convolution; identity shortcut; ReLU: y = relu(-2x).
        var conv = new Conv2d(1, 1, 1, bias: false);
        conv.Weight.Value[0] = -3f;
        var block = new ResidualBlock(conv, activation: new ReLU());
        var x = new Tensor([1f, -2f, 0.5f, -0.25f], 1, 1, 2, 2);
        block.Forward(x, false).Span.ToArray().Should().Equal(0f, 4f, 0f, 0.5f);
        block.Forward(x, true);
        Tensor dx = block.Backward(new Tensor([1f, 1f, 1f, 1f], 1, 1, 2, 2))!;
        dx.Span.ToArray().Should().Equal([0f, -2f, 0f, -2f], "d/dx relu(-2x) = -2 where -2x > 0");
        conv.Weight.Gradient[0].Should().Be(-2f + -0.25f, "Σ x where the ReLU is open");
    }

    [TestMethod]
    public void CreateChoosesIdentityOrAProjectionWithTheRightStride()
    {
        ResidualBlock.Create(Branch(4, 4, 1, true), [4, 8, 8]).Shortcut.Should().BeNull();
        var strided = ResidualBlock.Create(Branch(4, 8, 2, true), [4, 9, 8]);
        var projection = (Sequential)strided.Shortcut!;
        var conv = (Conv2d)projection.Layers[0];
        (conv.InChannels, conv.OutChannels, conv.KernelSize, conv.Stride).Should().Be((4, 8, (1, 1), (2, 2)));
        conv.Bias.Should().BeNull();
        projection.Layers[1].Should().BeOfType<BatchNorm2d>();
        strided.GetOutputShape([4, 9, 8]).Should().Equal(8, 5, 4);
        ((Sequential)ResidualBlock.Create(Branch(4, 8, 1, false), [4, 6, 6], projectionBatchNorm: false).Shortcut!).Layers.Should().ContainSingle();
    }

    [TestMethod]
    public void MismatchedBranchesAreRejectedWithAHint()
    {
        var block = new ResidualBlock(Branch(3, 6, 1, false));
        var shape = () => block.GetOutputShape([3, 5, 5]);
        shape.Should().Throw<ArgumentException>().WithMessage("*residual branch maps (N, 3, 5, 5) to (N, 6, 5, 5)*ResidualBlock.Projection*");
        var forward = () => block.Forward(new Tensor(2, 3, 5, 5), true);
        forward.Should().Throw<ArgumentException>().WithMessage("*projection shortcut*");
    }

    [TestMethod]
    public void NestedParametersAndBuffersAreNamedLikePyTorch()
    {
        var block = ResidualBlock.Create(Branch(2, 4, 2, true), [2, 8, 8], new ReLU());
        var net = new Sequential(new Conv2d(3, 2, 3, padding: 1), block, new GlobalAvgPool2d(), new Linear(4, 2));
        net.Parameters.Select(p => p.Name).Should().Equal(
            "0.weight", "0.bias",
            "1.residual.0.weight", "1.residual.1.weight", "1.residual.1.bias", "1.residual.3.weight", "1.residual.4.weight", "1.residual.4.bias",
            "1.shortcut.0.weight", "1.shortcut.1.weight", "1.shortcut.1.bias",
            "3.weight", "3.bias");
        net.Buffers.Should().HaveCount(6, "running mean and variance of the three batch norms");
        var bns = new[] { ((Sequential)block.Residual).Layers[1], ((Sequential)block.Residual).Layers[4], ((Sequential)block.Shortcut!).Layers[1] }.Cast<BatchNorm2d>();
        net.Buffers.Should().Equal(bns.SelectMany(b => new[] { b.RunningMean, b.RunningVar }));
    }

    [TestMethod]
    public void WithoutInputGradientTheBranchesStillGetParameterGradients()
    {
        var block = ResidualBlock.Create(Branch(2, 3, 1, true), [2, 4, 4], new ReLU());
        block.Initialize(new Rng(5));
        Tensor x = TestTensors.Uniform(new Rng(6), [2, 2, 4, 4]);
        Tensor g = TestTensors.Uniform(new Rng(7), [2, 3, 4, 4]);
        block.Forward(x, true);
        block.Backward(g);
        float[][] expected = block.Parameters.Select(p => p.Gradient.Span.ToArray()).ToArray();
        block.ComputeInputGradient = false;
        block.Forward(x, true);
        block.Backward(g).Should().BeNull();
        for (int i = 0; i < expected.Length; i++)
            block.Parameters[i].Gradient.Span.ToArray().Should().Equal(expected[i], block.Parameters[i].Name);
    }

    [TestMethod]
    public void InitializeForksOneStreamPerBranch()
    {
        var a = ResidualBlock.Create(Branch(2, 4, 2, false), [2, 6, 6], projectionBatchNorm: false);
        var b = ResidualBlock.Create(Branch(2, 4, 2, false), [2, 6, 6], projectionBatchNorm: false);
        a.Initialize(new Rng(9));
        b.Initialize(new Rng(9));
        a.Parameters.SelectMany(p => p.Value.Span.ToArray()).Should().Equal(b.Parameters.SelectMany(p => p.Value.Span.ToArray()));
        var residualOnly = Branch(2, 4, 2, false);
        residualOnly.Initialize(new Rng(9).Fork(0));
        ((Sequential)a.Residual).Parameters[0].Value.Span.ToArray().Should().Equal(residualOnly.Parameters[0].Value.Span.ToArray());
    }
}
