using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

[TestClass]
public sealed class EmbeddingTests
{
    [TestMethod]
    public void MatchesPyTorchOutputAndWeightGradientWithPaddingIndex()
    {
        var f = Fixture.Load("embedding");
        Tensor weight = f.Tensor("weight");
        var embed = new Embedding(weight.Dim(0), weight.Dim(1), paddingIdx: (int)f.Number("padding_idx"));
        weight.Span.CopyTo(embed.Weight.Value.Span);
        Tensor indices = f.Tensor("indices");
        indices.Span.ToArray().Should().Contain(0f, "the fixture uses the padding index");

        Tensor y = embed.Forward(indices, training: true);
        TensorAssert.Close(y, f.Tensor("y"), TensorAssert.ElementwiseRelative, TensorAssert.ElementwiseAbsolute, "embedding y");
        embed.Backward(f.Tensor("upstream")).Should().BeNull("token indices are not differentiable");
        TensorAssert.Close(embed.Weight.Gradient, f.Tensor("grad_weight"), TensorAssert.ReductionRelative, TensorAssert.ReductionAbsolute, "embedding grad_weight");
    }

    [TestMethod]
    public void WeightGradientMatchesFiniteDifferencesAndSkipsThePaddingRow()
    {
        var embed = new Embedding(7, 3, paddingIdx: 2);
        embed.Initialize(new Rng(1));
        embed.Weight.Value.Span.Slice(2 * 3, 3).Fill(0.5f);   // a non-zero padding row is still looked up as it is
        var x = new Tensor([2f, 1f, 6f, 1f, 2f, 0f, 1f, 3f], 2, 4);
        Tensor y = embed.Forward(x, training: true);
        y.Span.Slice(0, 3).ToArray().Should().Equal(0.5f, 0.5f, 0.5f);
        Tensor upstream = TestTensors.Gaussian(new Rng(2), y.Shape);
        embed.Backward(upstream);
        float[] analytic = embed.Weight.Gradient.Span.ToArray();
        analytic.AsSpan(6, 3).ToArray().Should().OnlyContain(v => v == 0f, "the padding row gets no gradient");

        for (int i = 0; i < analytic.Length; i++)
        {
            if (i / 3 == 2) continue;
            float original = embed.Weight.Value[i];
            embed.Weight.Value[i] = original + 0.25f;
            double plus = Objective();
            embed.Weight.Value[i] = original - 0.25f;
            double minus = Objective();
            embed.Weight.Value[i] = original;
            ((plus - minus) / 0.5).Should().BeApproximately(analytic[i], 1e-5, $"dweight[{i}]");
        }

        double Objective()
        {
            ReadOnlySpan<float> o = embed.Forward(x, training: true).Span;
            double s = 0;
            for (int k = 0; k < o.Length; k++) s += (double)o[k] * upstream[k];
            return s;
        }
    }

    [TestMethod]
    public void OutputShapeAppendsTheEmbeddingDimension()
    {
        var embed = new Embedding(5, 4);
        embed.GetOutputShape([9]).Should().Equal(9, 4);
        embed.Forward(new Tensor(3, 9), training: false).Shape.ToArray().Should().Equal(3, 9, 4);
        embed.Forward(new Tensor(3), training: false).Shape.ToArray().Should().Equal(3, 4);
        embed.Weight.IsWeight.Should().BeTrue();
        embed.Name.Should().Be("Embedding(5, 4)");
    }

    [TestMethod]
    public void DefaultInitializationIsStandardNormalWithAZeroPaddingRow()
    {
        var embed = new Embedding(400, 50, paddingIdx: -1);
        embed.PaddingIdx.Should().Be(399);
        embed.Initialize(new Rng(3));
        float[] w = embed.Weight.Value.Span.ToArray();
        w.AsSpan(399 * 50).ToArray().Should().OnlyContain(v => v == 0f);
        double mean = w.Take(399 * 50).Average(v => (double)v), std = Math.Sqrt(w.Take(399 * 50).Average(v => (double)v * v) - mean * mean);
        mean.Should().BeApproximately(0, 0.03);
        std.Should().BeApproximately(1, 0.03);
    }

    [TestMethod]
    [DataRow(11f, "*value 11 at position (1, 2)*[0, 11)*")]
    [DataRow(-1f, "*value -1 at position (1, 2)*")]
    [DataRow(2.5f, "*value 2.5 at position (1, 2)*whole numbers*")]
    [DataRow(float.NaN, "*value NaN at position (1, 2)*")]
    public void RejectsIndicesOutsideTheVocabularyNamingThePosition(float bad, string message)
    {
        var embed = new Embedding(11, 2);
        var x = new Tensor([1f, 2f, 3f, 4f, 5f, bad], 2, 3);
        var act = () => embed.Forward(x, training: false);
        act.Should().Throw<ArgumentException>().WithMessage(message);
        var padding = () => new Embedding(11, 2, paddingIdx: 11);
        padding.Should().Throw<ArgumentOutOfRangeException>();
    }

    [TestMethod]
    public void WorksAsTheFirstLayerOfASequential()
    {
        var net = new Sequential(new Embedding(6, 3), new LSTM(3, 2));
        net.Initialize(new Rng(4));
        Tensor y = net.Forward(new Tensor([0f, 5f, 3f, 1f, 1f, 2f], 2, 3), training: true);
        y.Shape.ToArray().Should().Equal(2, 3, 2);
        net.Backward(TestTensors.Gaussian(new Rng(5), y.Shape)).Should().BeNull();
        net.Parameters[0].Name.Should().Be("0.weight");
        net.Parameters[0].Gradient.Span.ToArray().Should().Contain(v => v != 0f);
        net.Parameters[^1].Gradient.Span.ToArray().Should().Contain(v => v != 0f);
    }

    [TestMethod]
    public void DerivesSequenceLengthsFromTrailingPadding()
    {
        var lengths = new SequenceLengths();
        var embed = new Embedding(6, 2, paddingIdx: 0) { Lengths = lengths };
        embed.Forward(new Tensor([5f, 3f, 0f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 2f, 0f, 4f, 4f, 4f, 4f], 4, 4), training: false);
        lengths.Values.ToArray().Should().Equal(2, 0, 3, 4);
        var noPadding = () => new Embedding(6, 2) { Lengths = lengths }.Forward(new Tensor(1, 3), training: false);
        noPadding.Should().Throw<InvalidOperationException>().WithMessage("*paddingIdx*");
        var rank3 = () => embed.Forward(new Tensor(1, 2, 3), training: false);
        rank3.Should().Throw<InvalidOperationException>().WithMessage("*rank-3*");
    }
}
