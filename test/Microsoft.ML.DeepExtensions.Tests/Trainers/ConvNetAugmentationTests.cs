using System.IO.Compression;
using System.Text;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.DeepExtensions.Trainers;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// The ConvNet trainers' <c>Augmentation</c> option: it changes training (repeatably), while scoring never changes:
/// the same image scores identically through a PredictionEngine ten times and after Save/Load, and the saved chain and
/// its ONNX graph hold no augmentation.
/// </summary>
[TestClass]
public sealed class ConvNetAugmentationTests
{
    private static readonly Lazy<List<MnistRow>> Train = new(() => MnistRow.Load("train", 400));
    private static readonly Lazy<List<MnistRow>> Test = new(() => MnistRow.Load("t10k", 40));

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];

        public uint PredictedLabel { get; set; }
    }

    private static ImageAugmentationPipeline Heavy() => new(
        new RandomCrop(3), new RandomRotation(15), new RandomResizedCrop(0.7), new ColorJitter(0.3f, 0.3f), new RandomErasing());

    private static TransformerChain<MulticlassNeuralPredictionTransformer> Fit(MLContext ml, ImageAugmentationPipeline? augmentation, int seed = 1) =>
        ml.Transforms.Conversion.MapValueToKey("Label", "Digit", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Append(ml.MulticlassClassification.Trainers.ConvNet(new ConvNetMulticlassTrainer.Options { NumberOfEpochs = 2, BatchSize = 32, Seed = seed, Augmentation = augmentation }))
            .Fit(ml.Data.LoadFromEnumerable(Train.Value));

    private static float[] Weights(TransformerChain<MulticlassNeuralPredictionTransformer> model) =>
        model.LastTransformer.Model.Network.Parameters.SelectMany(p => p.Value.Span.ToArray()).ToArray();

    [TestMethod]
    public void ScoringIsIdenticalTenTimesAndAfterSaveAndLoad()
    {
        var ml = new MLContext(seed: 0);
        using var model = Fit(ml, Heavy());
        var image = Test.Value[3];
        var engine = ml.Model.CreatePredictionEngine<MnistRow, Prediction>(model);
        var first = engine.Predict(image).Score;
        first.Should().HaveCount(10);
        for (int i = 0; i < 9; i++) engine.Predict(image).Score.Should().Equal(first, $"prediction {i + 2} of the same image");

        var testData = ml.Data.LoadFromEnumerable(Test.Value);
        var batch = model.Transform(testData).GetColumn<float[]>("Score").ToArray();
        model.Transform(testData).GetColumn<float[]>("Score").Should().BeEquivalentTo(batch, o => o.WithStrictOrdering(), "a second Transform scores the same");
        batch[3].Should().Equal(first);

        using var folder = new PrivateFolder();
        string zip = folder.File("model.zip");
        ml.Model.Save(model, testData.Schema, zip);
        var loaded = ml.Model.Load(zip, out _);
        try
        {
            var loadedEngine = ml.Model.CreatePredictionEngine<MnistRow, Prediction>(loaded);
            for (int i = 0; i < 10; i++) loadedEngine.Predict(image).Score.Should().Equal(first, $"loaded model, prediction {i + 1}");
            loaded.Transform(testData).GetColumn<float[]>("Score").Should().BeEquivalentTo(batch, o => o.WithStrictOrdering());
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    [TestMethod]
    public void TheSavedChainAndItsOnnxGraphHoldNoAugmentation()
    {
        var ml = new MLContext(seed: 0);
        using var model = Fit(ml, Heavy());
        using var folder = new PrivateFolder();
        string zip = folder.File("model.zip"), onnx = folder.File("model.onnx");
        ml.Model.Save(model, ml.Data.LoadFromEnumerable(Test.Value).Schema, zip);
        model.LastTransformer.SaveAsOnnx(onnx);

        var graph = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(onnx)).Graph;
        var ops = graph.Node.Select(n => n.OpType).Distinct().ToArray();
        ops.Should().Contain("Conv");
        ops.Should().NotContain(op => op.StartsWith("Random", StringComparison.Ordinal) || op == "Bernoulli" || op == "Multinomial" || op == "Dropout",
            "the scoring graph is deterministic");
        graph.Input.Select(i => i.Name).Should().Equal("Features");

        using (var archive = ZipFile.OpenRead(zip))
            foreach (var entry in archive.Entries)
            {
                entry.FullName.Should().NotContainEquivalentOf("augment");
                using var reader = new StreamReader(entry.Open(), Encoding.Latin1);
                string content = reader.ReadToEnd();
                foreach (string name in new[] { "Augment", "RandomCrop", "RandomRotation", "RandomErasing", "ColorJitter" })
                    content.Should().NotContain(name, $"entry {entry.FullName} of the saved model");
            }

        var loaded = ml.Model.Load(zip, out _);
        try
        {
            Transformers(loaded).Select(t => t.GetType().FullName!).Should().NotContain(n => n.Contains("Augment", StringComparison.OrdinalIgnoreCase));
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private static IEnumerable<ITransformer> Transformers(ITransformer t) =>
        t is IEnumerable<ITransformer> chain ? chain.SelectMany(Transformers).Prepend(t) : [t];

    [TestMethod]
    public void AugmentationChangesTrainingRepeatably()
    {
        var ml = new MLContext(seed: 0);
        using var plain = Fit(ml, null);
        using var augmented = Fit(ml, Heavy());
        using var again = Fit(ml, Heavy());
        Weights(augmented).Should().NotEqual(Weights(plain), "the network saw augmented images");
        Weights(again).Should().Equal(Weights(augmented), "augmentation is seeded per (epoch, row) from the run's seed");
        using var otherSeed = Fit(ml, Heavy(), seed: 2);
        Weights(otherSeed).Should().NotEqual(Weights(augmented));
    }

    [TestMethod]
    public void AnAugmentationThatCannotTakeTheImagesFailsBeforeTraining()
    {
        var ml = new MLContext(seed: 0);
        var rows = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 8).Select(i => new TwoChannelRow { Features = new float[2 * 16 * 16], Label = i % 2 == 0 }).ToList());
        int epochs = 0;
        var trainer = ml.BinaryClassification.Trainers.ConvNet(new ConvNetBinaryTrainer.Options
        {
            NumberOfEpochs = 1,
            Augmentation = new ImageAugmentationPipeline(new ColorJitter(brightness: 0.2f)),
            OnEpochEnd = _ => epochs++,
        });
        trainer.Invoking(t => t.Fit(rows)).Should().Throw<ArgumentException>().WithMessage("*1 (grey) or 3 (RGB)*got 2*");
        epochs.Should().Be(0);
    }

    private sealed class TwoChannelRow
    {
        [VectorType(2, 16, 16)]
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }
}
