using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Activations;

/// <summary>Each activation reproduces PyTorch 1.13's output and input gradient (Fixtures/activation_*.json).</summary>
[TestClass]
public sealed class ActivationFixtureTests
{
    internal static Layer Create(string kind) => kind switch
    {
        "sigmoid" => new Sigmoid(),
        "tanh" => new Tanh(),
        "relu" => new ReLU(),
        "leaky_relu_0.01" => new LeakyReLU(0.01f),
        "leaky_relu_0.2" => new LeakyReLU(0.2f),
        "elu_1.0" => new ELU(1.0f),
        "gelu_erf" => new GELU(GeluApproximation.None),
        "gelu_tanh" => new GELU(GeluApproximation.Tanh),
        "silu" => new SiLU(),
        "softplus" => new Softplus(),
        "softmax_lastdim" => new Softmax(),
        "log_softmax_lastdim" => new LogSoftmax(),
        _ => throw new ArgumentException($"No layer for activation fixture kind '{kind}'."),
    };

    [TestMethod]
    [DataRow("activation_sigmoid")]
    [DataRow("activation_tanh")]
    [DataRow("activation_relu")]
    [DataRow("activation_leaky_relu_0.01")]
    [DataRow("activation_leaky_relu_0.2")]
    [DataRow("activation_elu_1.0")]
    [DataRow("activation_gelu_erf")]
    [DataRow("activation_gelu_tanh")]
    [DataRow("activation_silu")]
    [DataRow("activation_softplus")]
    [DataRow("activation_softmax_lastdim")]
    [DataRow("activation_log_softmax_lastdim")]
    public void MatchesPyTorchOutputAndGradient(string name)
    {
        var f = Fixture.Load(name);
        var layer = Create(f.String("kind"));
        bool reduction = name.Contains("softmax", StringComparison.Ordinal);
        double rel = reduction ? TensorAssert.ReductionRelative : TensorAssert.ElementwiseRelative;
        double abs = reduction ? TensorAssert.ReductionAbsolute : TensorAssert.ElementwiseAbsolute;

        Tensor y = layer.Forward(f.Tensor("x"), training: true);
        TensorAssert.Close(y, f.Tensor("y"), rel, abs, $"{name} y");
        Tensor dx = layer.Backward(f.Tensor("upstream"))!;
        TensorAssert.Close(dx, f.Tensor("grad_x"), rel, abs, $"{name} grad_x");
    }

    [TestMethod]
    public void EveryActivationFixtureIsCovered()
    {
        var names = Fixture.Names("activation_").ToArray();
        names.Should().HaveCount(12);
        foreach (string name in names)
            Create(Fixture.Load(name).String("kind")).Should().NotBeNull();
    }
}
