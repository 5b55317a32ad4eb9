using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Transforms;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>
/// The normalizers' ONNX graphs compute what the managed map computes (1e-5 relative + 1e-5 absolute): the engine layer
/// <see cref="AffineNormalization"/> through <see cref="OnnxExporter"/>; a fitted normalizer's exported graph
/// (<c>SaveAsOnnx</c>) through ONNX Runtime for batches of 1, 7 and 256 rows; and its ML.NET scoring chain.
/// </summary>
[TestClass]
public sealed class NormalizerOnnxParityTests
{
    private const double Rel = 1e-5, Abs = 1e-5;

    [TestMethod]
    [DataRow(1)]
    [DataRow(7)]
    [DataRow(256)]
    public void AffineNormalizationLayerMatchesTheEngine(int batch)
    {
        var layer = new AffineNormalization([0.5f, -3f, 100f], [2f, 0f, 1e-3f], [0f, 0.25f, -1f]);
        foreach (int[] rowShape in new[] { new[] { 3 }, new[] { 3, 4, 5 } })
        {
            var x = TestTensors.Uniform(new Rng(3), [batch, .. rowShape], 200f);
            var expected = layer.Forward(x, training: false).Clone();
            var onnx = OnnxExporter.ExportBytes(layer, rowShape);
            var actual = OrtRunner.RunSingle(onnx, "input", x.Span.ToArray(), [batch, .. rowShape.Select(d => (long)d)], "output");
            actual.Shape.Should().Equal([batch, .. rowShape.Select(d => (long)d)]);
            TensorAssert.Close(actual.Data, expected.Span.ToArray(), Rel, Abs, $"AffineNormalization on ({string.Join(", ", rowShape)}), batch {batch}");
        }
    }

    [TestMethod]
    [DataRow("standardize per slot")]
    [DataRow("min-max per slot")]
    [DataRow("standardize per channel")]
    [DataRow("min-max per channel")]
    public void ExportedNormalizerMatchesTheManagedMapForBatchesOf1And7And256(string kind)
    {
        var ml = new MLContext(seed: 0);
        var (model, rows, column) = Fit(ml, kind);
        using (model)
        {
            using var stream = new MemoryStream();
            model.SaveAsOnnx(stream);
            int d = rows[0].Length;
            foreach (int batch in new[] { 1, 7, 256 })
            {
                var x = Enumerable.Range(0, batch).SelectMany(i => rows[i % rows.Length]).ToArray();
                var actual = OrtRunner.RunSingle(stream.ToArray(), column, x, [batch, d], column + ".output");
                actual.Shape.Should().Equal([batch, d]);
                TensorAssert.Close(actual.Data, Managed(model, x, batch), Rel, Abs, $"{kind}, batch {batch}");
            }
        }
    }

    [TestMethod]
    [DataRow("standardize per slot")]
    [DataRow("standardize per channel")]
    public void MlNetScoringChainMatchesTheManagedMap(string kind)
    {
        var ml = new MLContext(seed: 0);
        var (model, rows, column) = Fit(ml, kind);
        using (model)
        {
            var data = kind.EndsWith("channel", StringComparison.Ordinal) ? ImageView(ml, rows, new uint[rows.Length]) : TabularData.Wine(ml);
            var scored = Column(model.Transform(data), column);
            var expected = Managed(model, rows.SelectMany(r => r).ToArray(), rows.Length);
            TensorAssert.Close(scored.SelectMany(r => r).ToArray(), expected, Rel, Abs, kind);
        }
    }

    private static (AffineNormalizingTransformer Model, float[][] Rows, string Column) Fit(MLContext ml, string kind)
    {
        if (kind.EndsWith("slot", StringComparison.Ordinal))
        {
            var wine = TabularData.Wine(ml);
            AffineNormalizingTransformer slotModel = kind.StartsWith("standardize", StringComparison.Ordinal)
                ? ml.Transforms.Standardize("Features").Fit(wine)
                : ml.Transforms.ScaleMinMax("Features", lowerBound: -1, upperBound: 1).Fit(wine);
            return (slotModel, CsvFeatures("wine.csv", 13), "Features");
        }
        var (images, labels) = Images(40);
        var data = ImageView(ml, images, labels);
        AffineNormalizingTransformer channelModel = kind.StartsWith("standardize", StringComparison.Ordinal)
            ? ml.Transforms.Standardize("Image", scope: NormalizationScope.PerChannel).Fit(data)
            : ml.Transforms.ScaleMinMax("Image", scope: NormalizationScope.PerChannel).Fit(data);
        return (channelModel, images, "Image");
    }

    /// <summary>The engine map's forward on <paramref name="batch"/> flat rows.</summary>
    private static float[] Managed(AffineNormalizingTransformer model, float[] x, int batch)
    {
        int k = model.Map.FeatureCount, d = x.Length / batch;
        var input = d == k ? new Tensor((float[])x.Clone(), batch, k) : new Tensor((float[])x.Clone(), batch, k, d / k);
        return model.Map.Forward(input, training: false).Span.ToArray();
    }
}
