using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

[TestClass]
public sealed class SequencePoolingTests
{
    private static readonly int[] Lengths = [3, 0, 5, 1];

    [TestMethod]
    [DataRow(SequencePoolingMode.Last, false)]
    [DataRow(SequencePoolingMode.Last, true)]
    [DataRow(SequencePoolingMode.Mean, false)]
    [DataRow(SequencePoolingMode.Mean, true)]
    public void ReducesOnlyTheValidSteps(SequencePoolingMode mode, bool bidirectional)
    {
        var pool = new SequencePooling(mode, bidirectional) { Lengths = RecurrentTestHelpers.Lengths(Lengths) };
        Tensor x = TestTensors.Uniform(new Rng(1), [4, 5, 6]);
        Tensor y = pool.Forward(x, training: true);
        y.Shape.ToArray().Should().Equal(4, 6);
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 6; c++)
            {
                int length = Lengths[b];
                double expected = 0;
                if (length > 0 && mode == SequencePoolingMode.Last)
                    expected = x[(b * 5 + (bidirectional && c >= 3 ? 0 : length - 1)) * 6 + c];
                else if (length > 0)
                {
                    for (int t = 0; t < length; t++) expected += x[(b * 5 + t) * 6 + c];
                    expected /= length;
                }
                y[b * 6 + c].Should().BeApproximately((float)expected, 1e-6f, $"example {b}, channel {c}");
            }
    }

    [TestMethod]
    [DataRow(SequencePoolingMode.Last, false)]
    [DataRow(SequencePoolingMode.Last, true)]
    [DataRow(SequencePoolingMode.Mean, false)]
    [DataRow(SequencePoolingMode.Mean, true)]
    public void GradientsMatchFiniteDifferences(SequencePoolingMode mode, bool bidirectional)
    {
        var pool = new SequencePooling(mode, bidirectional) { Lengths = RecurrentTestHelpers.Lengths(Lengths) };
        GradientCheck.Check(pool, TestTensors.Uniform(new Rng(2), [4, 5, 6]));
        RecurrentTestHelpers.PaddingIsZero(pool.Backward(TestTensors.Gaussian(new Rng(3), [4, 6]))!, Lengths, "dX");
    }

    [TestMethod]
    [DataRow(false)]
    [DataRow(true)]
    public void LastStepOfABidirectionalLstmIsItsFinalHiddenState(bool variableLengths)
    {
        var lengths = variableLengths ? RecurrentTestHelpers.Lengths(Lengths) : null;
        var lstm = new LSTM(3, 4, numLayers: 2, bidirectional: true) { Lengths = lengths };
        var pool = new SequencePooling(SequencePoolingMode.Last, bidirectional: true) { Lengths = lengths };
        lstm.Initialize(new Rng(4));
        Tensor y = pool.Forward(lstm.Forward(TestTensors.Uniform(new Rng(5), [4, 5, 3]), training: false), training: false);
        Tensor hn = lstm.FinalHiddenState;   // (4, N, H): rows 2 and 3 are the last layer's two directions
        for (int b = 0; b < 4; b++)
            for (int d = 0; d < 2; d++)
                y.Span.Slice(b * 8 + d * 4, 4).ToArray().Should().Equal(hn.Span.Slice(((2 + d) * 4 + b) * 4, 4).ToArray(), $"example {b}, direction {d}");
    }

    [TestMethod]
    public void WithoutLengthsEverySequenceIsFull()
    {
        var pool = new SequencePooling(SequencePoolingMode.Mean);
        Tensor y = pool.Forward(new Tensor([1f, 2f, 3f, 5f], 1, 2, 2), training: false);
        y.Span.ToArray().Should().Equal(2f, 3.5f);
        pool.GetOutputShape([2, 2]).Should().Equal(2);
        pool.Name.Should().Be("SequencePooling(Mean)");
    }

    [TestMethod]
    public void RejectsAnOddChannelCountWhenBidirectional()
    {
        var pool = new SequencePooling(SequencePoolingMode.Last, bidirectional: true);
        var act = () => pool.Forward(new Tensor(2, 3, 5), training: false);
        act.Should().Throw<ArgumentException>().WithMessage("*(N, T, C) input with an even C, got (N, 3, 5)*");
        var shape = () => pool.GetOutputShape([3]);
        shape.Should().Throw<ArgumentException>();
    }
}
