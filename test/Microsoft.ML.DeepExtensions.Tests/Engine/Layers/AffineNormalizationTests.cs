using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

/// <summary><see cref="AffineNormalization"/>: <c>y = (x − shift[k])·scale[k] + offset[k]</c> per slot or per channel.</summary>
[TestClass]
public sealed class AffineNormalizationTests
{
    private static readonly float[] Shift = [1f, -2f, 0.5f], Scale = [2f, 0f, -0.25f], Offset = [0f, 0.75f, 3f];

    [TestMethod]
    public void PerSlotForwardComputesTheFormulaInFloat32()
    {
        var layer = new AffineNormalization(Shift, Scale, Offset);
        var x = new Tensor([3f, 7f, 4.5f, -1f, 100f, 0f], 2, 3);
        var y = layer.Forward(x, training: false);
        y.Shape.ToArray().Should().Equal([2, 3]);
        for (int n = 0; n < 2; n++)
            for (int k = 0; k < 3; k++)
                y[n, k].Should().Be((x[n, k] - Shift[k]) * Scale[k] + Offset[k], $"row {n}, slot {k}");
        y[0, 1].Should().Be(0.75f, "a scale of 0 maps every finite value to the offset");
    }

    [TestMethod]
    public void PerChannelForwardBroadcastsOverThePixels()
    {
        var layer = new AffineNormalization(Shift, Scale, Offset);
        var x = new Tensor(Enumerable.Range(0, 2 * 3 * 2 * 2).Select(i => i * 0.5f).ToArray(), 2, 3, 2, 2);
        var y = layer.Forward(x, training: false);
        for (int i = 0; i < x.Length; i++)
        {
            int k = i / 4 % 3;
            y.Span[i].Should().Be((x.Span[i] - Shift[k]) * Scale[k] + Offset[k], $"element {i} (channel {k})");
        }
    }

    [TestMethod]
    public void BackwardMultipliesTheGradientByTheScale()
    {
        var layer = new AffineNormalization(Shift, Scale, Offset);
        var x = new Tensor(new float[12], 2, 3, 2);
        layer.Forward(x, training: true);
        var g = new Tensor(Enumerable.Range(1, 12).Select(i => (float)i).ToArray(), 2, 3, 2);
        var dx = layer.Backward(g)!;
        for (int i = 0; i < 12; i++) dx.Span[i].Should().Be(g.Span[i] * Scale[i / 2 % 3]);
        layer.Parameters.Should().BeEmpty("the map is fixed");
    }

    [TestMethod]
    public void SteadyStateForwardAndBackwardAllocateNothing()
    {
        var layer = new AffineNormalization(Shift, Scale, Offset);
        Tensor x = new(new float[16 * 3 * 4], 16, 3, 4), g = new(new float[16 * 3 * 4], 16, 3, 4);
        void Step(int n)
        {
            x.ResizeBatch(n, [3, 4]);
            g.ResizeBatch(n, [3, 4]);
            layer.Forward(x, training: true);
            layer.Backward(g);
        }
        for (int warm = 0; warm < 3; warm++) { Step(16); Step(5); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) { Step(16); Step(5); }
        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    [TestMethod]
    public void RejectsBadParametersAndShapes()
    {
        FluentActions.Invoking(() => new AffineNormalization([1f, 2f], [1f])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new AffineNormalization([float.NaN], [1f])).Should().Throw<ArgumentException>().WithMessage("*shift[0]*");
        FluentActions.Invoking(() => new AffineNormalization([], [])).Should().Throw<ArgumentException>();
        new AffineNormalization(Shift, Scale).Invoking(l => l.GetOutputShape([4])).Should().Throw<ArgumentException>().WithMessage("*(3, *)*");
        new AffineNormalization(Shift, Scale).Invoking(l => l.Forward(new Tensor(new float[8], 2, 4), false)).Should().Throw<ArgumentException>().WithMessage("*got (4)*");
    }
}
