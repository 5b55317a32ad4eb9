using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Activations;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Kernels;

[TestClass]
public sealed class SpecialFunctionsTests
{
    [TestMethod]
    public void ErfcHasSmallRelativeErrorEverywhere()
    {
        for (double x = -6; x <= 9; x += 0.0137)
        {
            double expected = ActivationNumericsTests.ReferenceErfc(x);
            Math.Abs(SpecialFunctions.Erfc(x) - expected).Should().BeLessThanOrEqualTo(1.3e-7 * expected, $"erfc({x})");
        }
        SpecialFunctions.Erf(0).Should().BeApproximately(0, 1e-7);
        SpecialFunctions.Erf(-1).Should().BeApproximately(-0.8427007929497149, 2e-7);
    }

    [TestMethod]
    [DataRow(1e-12)]
    [DataRow(-3e-9)]
    [DataRow(1e-5)]
    [DataRow(0.5)]
    [DataRow(-0.9)]
    public void Log1PAndExpM1AreAccurateNearZero(double x)
    {
        // Reference from the Taylor series (converges fast for |x| ≤ 1e-5) or from Math for larger x.
        double log1p = Math.Abs(x) < 1e-4 ? x - x * x / 2 + x * x * x / 3 : Math.Log(1 + x);
        double expm1 = Math.Abs(x) < 1e-4 ? x + x * x / 2 + x * x * x / 6 : Math.Exp(x) - 1;
        SpecialFunctions.Log1P(x).Should().BeApproximately(log1p, 1e-15 * Math.Abs(log1p));
        SpecialFunctions.ExpM1(x).Should().BeApproximately(expm1, 1e-15 * Math.Abs(expm1));
    }
}
