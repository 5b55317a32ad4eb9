using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Activations;

/// <summary>Every activation's backward pass agrees with finite differences, on shapes that are not multiples of the vector width.</summary>
[TestClass]
public sealed class ActivationGradientTests
{
    public static IEnumerable<object[]> Cases()
    {
        string[] kinds =
        [
            "sigmoid", "tanh", "relu", "leaky_relu_0.01", "leaky_relu_0.2", "elu_1.0", "gelu_erf", "gelu_tanh",
            "silu", "softplus", "softmax_lastdim", "log_softmax_lastdim",
        ];
        int[][] shapes = [[3, 1], [3, 7], [3, 17], [2, 33], [2, 3, 5]];
        foreach (string kind in kinds)
            foreach (int[] shape in shapes)
                yield return [kind, shape];
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BackwardMatchesFiniteDifferences(string kind, int[] shape)
    {
        var layer = ActivationFixtureTests.Create(kind);
        // Inputs at least 0.1 away from 0 keep ReLU/LeakyReLU/ELU off their kinks (h ≤ 0.02 for |x| ≤ 2).
        var x = TestTensors.Uniform(new Rng((ulong)(shape.Sum() * 31 + kind.Length)), shape, 2.5f, 0.1f);
        GradientCheck.Check(layer, x);
    }
}
