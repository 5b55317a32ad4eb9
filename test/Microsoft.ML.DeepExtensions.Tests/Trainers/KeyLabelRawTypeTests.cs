using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Trainers.ConvNet;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// A key label backed by Byte, UInt16 or UInt64 (a <c>TextLoader</c> column of that kind with a key count, or
/// <c>ConvertType</c> of a key) trains like the UInt32 key <c>MapValueToKey</c> makes: the same network, and a
/// <c>PredictedLabel</c> of exactly the label's key type with its KeyValues, also after saving and reloading.
/// </summary>
[TestClass]
public sealed class KeyLabelRawTypeTests
{
    [TestMethod]
    [DataRow(DataKind.Byte)]
    [DataRow(DataKind.UInt16)]
    [DataRow(DataKind.UInt64)]
    public void MlpTrainsOnTheKeyAndPredictsTheLabelsKeyType(DataKind kind)
    {
        var ml = new MLContext(seed: 0);
        var iris = MlpTestTasks.Iris(ml);
        var uintKeys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(iris).Transform(iris);
        // Converted outside the estimator chain: ConvertType's GetOutputSchema(SchemaShape) reports a key converted to
        // another kind as a plain number (ML.NET 5.0.1), although its output column is a key.
        var data = ml.Transforms.Conversion.ConvertType("Label", outputKind: kind).Fit(uintKeys).Transform(uintKeys);
        var trainer = ml.MulticlassClassification.Trainers.Mlp(MlpTestTasks.MulticlassOptions(epochs: 10));
        using var reference = ml.Transforms.NormalizeMeanVariance("Features").Append(trainer).Fit(uintKeys);
        using var model = ml.Transforms.NormalizeMeanVariance("Features").Append(trainer).Fit(data);
        var scored = model.Transform(data);

        var label = scored.Schema["Label"];
        label.Type.RawType.Should().Be(kind switch { DataKind.Byte => typeof(byte), DataKind.UInt16 => typeof(ushort), _ => typeof(ulong) }, "precondition: the label's key is backed by {0}", kind);
        scored.Schema["PredictedLabel"].Type.Should().Be(label.Type, "PredictedLabel has the label's key type");
        KeyValues(scored.Schema["PredictedLabel"]).Should().Equal(KeyValues(label));
        scored.GetColumn<float[]>("Score").Should().BeEquivalentTo(reference.Transform(uintKeys).GetColumn<float[]>("Score"), o => o.WithStrictOrdering(),
            "the same keys train the same network");
        var predicted = Keys(scored, "PredictedLabel");
        predicted.Should().Equal(Keys(reference.Transform(uintKeys), "PredictedLabel"));
        ml.MulticlassClassification.Evaluate(scored).MicroAccuracy.Should().BeGreaterThan(0.8);

        using var stream = new MemoryStream();
        ml.Model.Save(model, data.Schema, stream);
        stream.Position = 0;
        var loaded = ml.Model.Load(stream, out _);
        try
        {
            var reloaded = loaded.Transform(data);
            reloaded.Schema["PredictedLabel"].Type.Should().Be(label.Type);
            Keys(reloaded, "PredictedLabel").Should().Equal(predicted);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [TestMethod]
    public void ConvNetTrainsOnAByteKeyFromATextLoader()
    {
        var ml = new MLContext(seed: 0);
        using var folder = new PrivateFolder();
        string path = folder.File("bars.csv");
        File.WriteAllLines(path, BarImages.Multiclass(120, seed: 1).Select(r => $"{r.Label},{string.Join(",", r.Features.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}"));
        var data = ml.Data.LoadFromTextFile(path,
            [new TextLoader.Column("Label", DataKind.Byte, 0) { KeyCount = new KeyCount(3) }, new TextLoader.Column("Features", DataKind.Single, 1, 144)],
            separatorChar: ',');
        data.Schema["Label"].Type.Should().Be(new KeyDataViewType(typeof(byte), 3), "precondition");
        var options = new ConvNetMulticlassTrainer.Options { ImageShape = new ImageShape(1, 12, 12), NumberOfEpochs = 4, BatchSize = 16 };
        using var model = ml.MulticlassClassification.Trainers.ConvNet(options).Fit(data);
        var scored = model.Transform(data);
        scored.Schema["PredictedLabel"].Type.Should().Be(data.Schema["Label"].Type);
        ml.MulticlassClassification.Evaluate(scored).MicroAccuracy.Should().BeGreaterThan(0.8);
    }

    private static string[] KeyValues(DataViewSchema.Column column)
    {
        VBuffer<ReadOnlyMemory<char>> values = default;
        column.GetKeyValues(ref values);
        return values.DenseValues().Select(v => v.ToString()).ToArray();
    }

    // Key values as ulong, whatever their raw type.
    private static ulong[] Keys(IDataView data, string column)
    {
        var converted = new MLContext().Transforms.Conversion.ConvertType("K", column, DataKind.UInt64).Fit(data).Transform(data);
        return converted.GetColumn<ulong>("K").ToArray();
    }
}
