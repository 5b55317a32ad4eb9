namespace Microsoft.ML.DeepExtensions.Engine.Initializers;

/// <summary>
/// Recommended initialization gains per nonlinearity (PyTorch <c>torch.nn.init.calculate_gain</c>): the factor
/// that keeps activations' variance stable through a layer followed by that nonlinearity.
/// </summary>
public static class Gain
{
    /// <summary>1, for linear layers, sigmoid and identity.</summary>
    public static double Linear => 1.0;

    /// <summary>√2, for ReLU (He et al., 2015).</summary>
    public static double ReLU => Math.Sqrt(2.0);

    /// <summary>5/3, for tanh.</summary>
    public static double Tanh => 5.0 / 3.0;

    /// <summary>3/4, for SELU (PyTorch's choice).</summary>
    public static double Selu => 0.75;

    /// <summary><c>√(2 / (1 + a²))</c>, for leaky ReLU with negative slope <paramref name="negativeSlope"/> = a (He et al., 2015).</summary>
    public static double LeakyReLU(double negativeSlope = 0.01) => Math.Sqrt(2.0 / (1.0 + negativeSlope * negativeSlope));
}
