using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Tests.Trainers;
using static Microsoft.ML.DeepExtensions.Tests.Transforms.NormalizationTestData;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms;

/// <summary>
/// NaN and infinity (documented in docs/design/normalization.md): fitting fails naming the column, the row and the slot;
/// so does scoring with the fitted transformer (Transform and prediction engines); a saved and loaded model fails in its
/// stateless check step, naming the slot.
/// </summary>
[TestClass]
public sealed class NormalizerNonFiniteTests
{
    private static readonly float[][] Clean = [[1f, 2f, 3f], [4f, 5f, 6f], [7f, 8f, 10f]];

    private static float[][] WithValue(int row, int slot, float value)
    {
        var rows = Clean.Select(r => r.ToArray()).ToArray();
        rows[row][slot] = value;
        return rows;
    }

    [TestMethod]
    [DataRow(float.NaN, "NaN")]
    [DataRow(float.PositiveInfinity, "+infinity")]
    [DataRow(float.NegativeInfinity, "-infinity")]
    public void FittingFailsNamingColumnRowAndSlot(float value, string described)
    {
        var ml = new MLContext(seed: 0);
        var data = VectorView(ml, WithValue(2, 1, value), 3);
        ml.Transforms.Standardize("Features").Invoking(e => e.Fit(data)).Should().Throw<InvalidOperationException>()
            .WithMessage($"Column 'Features' holds {described}* at row 2, slot 1: Standardize needs finite values to fit*ReplaceMissingValues*");
        ml.Transforms.ScaleMinMax("Features").Invoking(e => e.Fit(data)).Should().Throw<InvalidOperationException>()
            .WithMessage("*row 2, slot 1: ScaleMinMax*");
    }

    [TestMethod]
    public void ScoringWithTheFittedTransformerFailsNamingColumnRowAndSlot()
    {
        var ml = new MLContext(seed: 0);
        using var model = ml.Transforms.Standardize("Features").Fit(VectorView(ml, Clean, 3));
        var scored = model.Transform(VectorView(ml, WithValue(1, 2, float.NaN), 3));
        FluentActions.Invoking(() => Column(scored)).Should().Throw<Exception>()
            .Where(e => Flatten(e).Contains("Column 'Features' holds NaN (a missing value) at row 1, slot 2: Standardize needs finite values to score"));

        var engine = ml.Model.CreatePredictionEngine<VectorRow, VectorRow>(model, inputSchemaDefinition: Definition(), outputSchemaDefinition: Definition());
        engine.Predict(new VectorRow { Features = [1f, 2f, 3f] }).Features.Should().OnlyContain(v => float.IsFinite(v));
        FluentActions.Invoking(() => engine.Predict(new VectorRow { Features = [1f, float.PositiveInfinity, 3f] })).Should().Throw<Exception>()
            .Where(e => Flatten(e).Contains("Column 'Features' holds +infinity") && Flatten(e).Contains("slot 1"));
    }

    [TestMethod]
    public void ScoringWithALoadedModelFailsInItsCheckStep()
    {
        var ml = new MLContext(seed: 0);
        var train = VectorView(ml, Clean, 3);
        using var folder = new PrivateFolder();
        using (var model = ml.Transforms.ScaleMinMax("Features").Fit(train))
            ml.Model.Save(model, train.Schema, folder.File("model.zip"));
        var loaded = ml.Model.Load(folder.File("model.zip"), out _);
        try
        {
            Column(loaded.Transform(VectorView(ml, Clean, 3))).Should().HaveCount(3, "precondition: clean rows score");
            var scored = loaded.Transform(VectorView(ml, WithValue(0, 2, float.NaN), 3));
            FluentActions.Invoking(() => Column(scored)).Should().Throw<Exception>()
                .Where(e => Flatten(e).Contains("received NaN (a missing value) in slot 2 of its input column"));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private static Microsoft.ML.Data.SchemaDefinition Definition()
    {
        var definition = Microsoft.ML.Data.SchemaDefinition.Create(typeof(VectorRow));
        definition[nameof(VectorRow.Features)].ColumnType = new Microsoft.ML.Data.VectorDataViewType(Microsoft.ML.Data.NumberDataViewType.Single, 3);
        return definition;
    }

    /// <summary>The messages of an exception and its inner exceptions (ML.NET wraps errors raised inside cursors).</summary>
    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
