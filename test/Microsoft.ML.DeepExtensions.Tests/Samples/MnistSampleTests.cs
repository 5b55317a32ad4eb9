using Microsoft.ML.DeepExtensions.Samples;
using Microsoft.ML.DeepExtensions.Tests.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Samples;

/// <summary>
/// The main sample (<c>mnist</c>) and the <c>fashion</c> scenario, run as they are (src/Samples/Scenarios/MnistScenario.cs:
/// LeNet-5, 40 epochs, seed 0 of the MLContext; digits with small random shifts and rotations), must reach the issue's
/// targets: 98.0 % on the MNIST subset and 86.0 % on the Fashion-MNIST subset. Measured: 98.5 % and 87.8 %, about 20 s
/// each on 2 cores. MNIST stays close to its target: trainer seeds 0-3 give 97.9-98.8 % (97.7-98.3 % without the
/// augmentation), so a change of the engine's summation order can move the figure by a few tenths.
/// </summary>
[TestClass]
public sealed class MnistSampleTests
{
    [TestMethod]
    [DataRow("mnist", 0.98)]
    [DataRow("fashion", 0.86)]
    public void TheScenarioReachesTheIssueTarget(string scenario, double target)
    {
        using var folder = new PrivateFolder();
        var output = new DirectoryInfo(folder.Folder("out"));
        var metrics = scenario == "mnist" ? MnistScenario.RunDigits(output) : MnistScenario.RunFashion(output);
        metrics["MicroAccuracy"].Should().BeGreaterThanOrEqualTo(target, "the {0} scenario's test accuracy", scenario);
        File.Exists(Path.Combine(output.FullName, "model.zip")).Should().BeTrue();
        File.Exists(Path.Combine(output.FullName, "model.onnx")).Should().BeTrue();
    }
}
