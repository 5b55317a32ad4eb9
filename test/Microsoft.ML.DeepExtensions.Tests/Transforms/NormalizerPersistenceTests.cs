using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Tests.Trainers;
using Microsoft.ML.DeepExtensions.Transforms;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>
/// A fitted normalizer saves as a chain of ML.NET built-ins (plus the stateless check): <c>mlContext.Model.Load</c>
/// gives the same outputs, types and slot names; prediction engines work on the fitted and on the loaded model.
/// </summary>
[TestClass]
public sealed class NormalizerPersistenceTests
{
    [TestMethod]
    public void SaveLoadRoundTripScoresIdentically()
    {
        var ml = new MLContext(seed: 0);
        var wine = WineWithSlotNames(ml);
        var (images, labels) = Images(40);
        var pictures = ImageView(ml, images, labels);
        using var folder = new PrivateFolder();
        foreach (var (name, data, estimator) in new (string, IDataView, IEstimator<ITransformer>)[]
        {
            ("z-score per slot", wine, ml.Transforms.Standardize("Features")),
            ("min-max per slot, new column", wine, ml.Transforms.ScaleMinMax("Scaled", "Features", -1, 1)),
            ("z-score per channel", pictures, ml.Transforms.Standardize("Image", scope: NormalizationScope.PerChannel)),
            ("min-max per channel", pictures, ml.Transforms.ScaleMinMax("Image", scope: NormalizationScope.PerChannel)),
        })
        {
            var fitted = estimator.Fit(data);
            string zip = folder.File(name + ".zip");
            ml.Model.Save(fitted, data.Schema, zip);
            var loaded = ml.Model.Load(zip, out var savedSchema);
            try
            {
                string output = ((AffineNormalizingTransformer)fitted).OutputColumnName;
                var expected = fitted.Transform(data);
                var actual = loaded.Transform(data);
                actual.Schema[output].Type.Should().Be(expected.Schema[output].Type, name);
                Column(actual, output).Should().BeEquivalentTo(Column(expected, output), o => o.WithStrictOrdering(), name);
                savedSchema[((AffineNormalizingTransformer)fitted).InputColumnName].Type.Should().Be(data.Schema[((AffineNormalizingTransformer)fitted).InputColumnName].Type);
                if (data == wine)
                {
                    VBuffer<ReadOnlyMemory<char>> names = default;
                    actual.Schema[output].Annotations.GetValue("SlotNames", ref names);
                    names.DenseValues().First().ToString().Should().Be("alcohol", $"{name}: slot names survive Save/Load");
                }
            }
            finally
            {
                (loaded as IDisposable)?.Dispose();
                (fitted as IDisposable)?.Dispose();
            }
        }
    }

    [TestMethod]
    public void PredictionEnginesWorkOnTheFittedAndTheLoadedModel()
    {
        var ml = new MLContext(seed: 0);
        var (images, labels) = Images(30);
        var data = ImageView(ml, images, labels);
        using var folder = new PrivateFolder();
        using var fitted = ml.Transforms.Standardize("Image", scope: NormalizationScope.PerChannel).Fit(data);
        ml.Model.Save(fitted, data.Schema, folder.File("model.zip"));
        var loaded = ml.Model.Load(folder.File("model.zip"), out _);
        try
        {
            var definition = SchemaDefinition.Create(typeof(ImageRow));
            definition[nameof(ImageRow.Image)].ColumnType = data.Schema["Image"].Type;
            definition[nameof(ImageRow.Label)].ColumnType = data.Schema["Label"].Type;
            var expected = Column(fitted.Transform(data), "Image");
            foreach (var model in new[] { (ITransformer)fitted, loaded })
            {
                using var engine = ml.Model.CreatePredictionEngine<ImageRow, ImageRow>(model, inputSchemaDefinition: definition, outputSchemaDefinition: definition);
                for (int i = 0; i < 5; i++)
                    engine.Predict(new ImageRow { Image = images[i], Label = labels[i] }).Image.Should().Equal(expected[i], $"row {i}");
            }
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [TestMethod]
    public void TransformAfterDisposeFails()
    {
        var ml = new MLContext(seed: 0);
        var data = TabularData.Wine(ml);
        var model = ml.Transforms.Standardize("Features").Fit(data);
        model.Dispose();
        model.Invoking(m => m.Transform(data)).Should().Throw<ObjectDisposedException>();
        model.Dispose();
    }
}
