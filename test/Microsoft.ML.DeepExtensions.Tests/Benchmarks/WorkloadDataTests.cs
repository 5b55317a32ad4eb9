using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Tests.Benchmarks;

/// <summary>
/// The benchmark harness trains on the same data as the PyTorch anchors: its generators
/// (test/Microsoft.ML.DeepExtensions.Benchmarks/Workloads/WorkloadData.cs, linked here) must reproduce the checksums of
/// shared/bench/WORKLOADS.md §1-§2, the anchors' epoch order and initial weights, and PyTorch's first-batch loss.
/// </summary>
[TestClass]
public sealed class WorkloadDataTests
{
    [TestMethod]
    public void SplitMix64ReproducesTheAnchorChecks()
    {
        WorkloadData.SplitMix64(0, 0).Should().Be(16294208416658607535UL);
        WorkloadData.SplitMix64(0, 1).Should().Be(7960286522194355700UL);
        WorkloadData.SplitMix64(0, 2).Should().Be(487617019471545679UL);
        Enumerable.Range(0, 4).Select(i => WorkloadData.Sym(11, i)).Should().Equal(-0.36751127f, -0.4752698f, 0.27608466f, 0.009227991f);
        double sum = 0;
        for (int i = 0; i < 1 << 20; i++) sum += WorkloadData.Sym(11, i);
        sum.Should().Be(-235.68960309028625, "the sequential float64 sum of sym(11, 0 .. 2^20-1) is bit-exact");
    }

    [TestMethod]
    [DataRow("W1", 1988.24520945549, new[] { -0.34967041, -0.54085231, -0.54331470, -0.03202748 },
        new[] { 4547, 5489, 4639, 3887, 5298, 4960, 5649, 4238, 6228, 5065 }, new[] { 6, 8, 0, 3, 1, 5, 6, 4 })]
    [DataRow("W2", 3924080.376530811, new[] { 0.38350111, 0.27086747, 0.63502669, 0.49695933 },
        new[] { 1031, 978, 969, 1058, 987, 1013, 954, 1007, 1002, 1001 }, new[] { 0, 6, 4, 3, 8, 5, 8, 6 })]
    [DataRow("W2w", 7663234.72364594, new[] { 0.39810359, 0.70635396, 0.61437428, 0.80726397 },
        new[] { 498, 495, 530, 506, 544, 524, 457, 481, 500, 465 }, new[] { 3, 6, 3, 9, 6, 6, 1, 3 })]
    [DataRow("W3", 962.5999782383442, new[] { -0.27114192, 0.07536235, 0.75349569, -0.80841589 },
        new[] { 508, 527, 462, 502, 486, 523, 527, 485, 528, 452 }, new[] { 3, 1, 8, 3, 1, 8, 5, 6 })]
    [DataRow("W4", 64019859.0, new[] { 752.0, 409.0, 202.0, 15.0 },
        new[] { 1119, 881 }, new[] { 0, 0, 1, 0, 1, 0, 0, 1 })]
    public void GeneratorsReproduceTheAnchorChecksums(string workload, double xSum, double[] xFirst4, int[] yHistogram, int[] yFirst8)
    {
        var data = workload switch
        {
            "W1" => WorkloadData.Tabular(),
            "W2" => WorkloadData.LeNet(),
            "W2w" => WorkloadData.WideCnn(),
            "W3" => WorkloadData.Sequences(),
            _ => WorkloadData.Tokens(),
        };
        var c = WorkloadData.Checksum(data);
        // numpy sums pairwise, this port sequentially: equal to ~1e-12 relative (the X values themselves are exact).
        c.XSum.Should().BeApproximately(xSum, 1e-9 * Math.Abs(xSum), "X_sum");
        c.XFirst4.Select(v => (double)v).Should().Equal(xFirst4, (a, e) => Math.Abs(a - e) <= 5e-9, "X first 4");
        c.YHistogram.Should().Equal(yHistogram, "y histogram");
        c.YFirst8.Should().Equal(yFirst8, "y first 8");
    }

    [TestMethod]
    public void EpochOrderIsTheAnchorsStableArgsortOfSplitMixKeys()
    {
        WorkloadData.EpochPermutation(10, 0).Should().Equal(3, 4, 2, 7, 6, 1, 0, 9, 8, 5);
        int[] order = WorkloadData.EpochPermutation(50_000, 0);
        order.Take(8).Should().Equal(4451, 18671, 30320, 11552, 19458, 20918, 13074, 32412);
        order.Order().Should().Equal(Enumerable.Range(0, 50_000), "an epoch visits every row once");
        WorkloadData.EpochPermutation(50_000, 1).Take(8).Should().Equal(3166, 3726, 5462, 2783, 8008, 48652, 2206, 16559);
    }

    [TestMethod]
    public void InitialWeightsAreSymTimesTheFloat32Bound()
    {
        var w = new float[4];
        WorkloadData.InitUniform(w, 0, 1.0 / Math.Sqrt(64));
        w.Should().Equal(0.030748486518859863f, -0.10854779183864594f, 0.09219221770763397f, 0.1114400327205658f);
    }

    [TestMethod]
    [DataRow(new[] { 256, 128 }, 256, 2.309792995452881)]
    [DataRow(new[] { 64 }, 32, 2.3193717002868652)]
    public void FirstBatchLossMatchesPyTorch(int[] hidden, int batch, double torchLoss)
    {
        // W1 / W1s: the engine's MLP with the anchors' init, on epoch 0's first batch (PyTorch 1.13 value).
        var data = WorkloadData.Tabular();
        var layers = new List<Layer>();
        int width = 64;
        foreach (int h in hidden)
        {
            layers.Add(new Linear(width, h));
            layers.Add(new ReLU());
            width = h;
        }
        layers.Add(new Linear(width, 10));
        var network = new Sequential(layers);
        int idx = 0;
        foreach (var layer in network.Layers.OfType<Linear>())
        {
            WorkloadData.InitUniform(layer.Weight.Value.Span, idx++, 1.0 / Math.Sqrt(layer.InFeatures));
            WorkloadData.InitUniform(layer.Bias!.Value.Span, idx++, 1.0 / Math.Sqrt(layer.InFeatures));
        }
        int[] rows = WorkloadData.EpochPermutation(data.Rows, 0)[..batch];
        var x = new Tensor(batch, 64);
        var y = new Tensor(batch);
        for (int i = 0; i < batch; i++)
        {
            data.X.AsSpan(rows[i] * 64, 64).CopyTo(x.Span.Slice(i * 64, 64));
            y[i] = data.Y[rows[i]];
        }
        double loss = new CrossEntropyLoss().Forward(network.Forward(x, training: false), y);
        loss.Should().BeApproximately(torchLoss, 1e-5);
    }
}
