using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Transforms.Augmentation;

/// <summary>
/// <c>mlContext.Data.AugmentText</c> on the 3,000 shipped sentences loaded by ML.NET's TextLoader: copies augmented by
/// EDA from (seed, copy, row), identical when cursored twice; rate 0 leaves the text unchanged.
/// </summary>
[TestClass]
public sealed class TextAugmentationDataViewTests
{
    private static IDataView Sentences(MLContext ml) => ml.Data.LoadFromTextFile(TestData.Path("text/sentiment_labelled_sentences.csv"),
        [new TextLoader.Column("Label", DataKind.Single, 0), new TextLoader.Column("Source", DataKind.String, 1), new TextLoader.Column("Text", DataKind.String, 2)],
        separatorChar: ',', hasHeader: true, allowQuoting: true);

    private static readonly Dictionary<string, string[]> Synonyms = new()
    {
        ["good"] = ["fine", "nice", "decent"],
        ["great"] = ["excellent", "superb"],
        ["bad"] = ["poor", "awful"],
        ["movie"] = ["film"],
        ["phone"] = ["handset"],
        ["food"] = ["meal", "cuisine"],
        ["very"] = ["really", "extremely"],
    };

    [TestMethod]
    public void CopiesAreAugmentedFromSeedCopyAndRowAndRepeatWhenCursoredTwice()
    {
        var ml = new MLContext(seed: 0);
        var source = Sentences(ml);
        var texts = source.GetColumn<string>("Text").ToArray();
        texts.Should().Equal(SentenceData.Sentences, "ML.NET reads the same sentences as the test's own parser");
        var eda = new EasyDataAugmentation(Synonyms);
        var view = ml.Data.AugmentText(source, eda, copies: 2, seed: 3);

        view.GetRowCount().Should().BeNull("a text file's row count is unknown until read");
        var first = view.GetColumn<string>("Text").ToArray();
        first.Should().HaveCount(6000);
        view.GetColumn<string>("Text").Should().Equal(first, "cursoring again gives the same rows");
        view.GetColumn<float>("Label").Should().Equal(source.GetColumn<float>("Label").SelectMany(l => new[] { l, l }));
        for (int r = 0; r < texts.Length; r++)
            for (int k = 0; k < 2; k++)
                first[2 * r + k].Should().Be(eda.Augment(texts[r], 3, k, r));
        first.Where((t, i) => t != texts[i / 2]).Count().Should().BeGreaterThan(2500, "RS and RD change most texts; SR and RI only those with a dictionary word");
    }

    [TestMethod]
    public void RateZeroKeepsEveryText()
    {
        var ml = new MLContext(seed: 0);
        var source = Sentences(ml);
        var none = new EasyDataAugmentation(Synonyms) { SynonymReplacementRate = 0, RandomInsertionRate = 0, RandomSwapRate = 0, RandomDeletionRate = 0 };
        var view = ml.Data.AugmentText(source, none, copies: 3, keepOriginal: true);
        view.GetColumn<string>("Text").Should().Equal(source.GetColumn<string>("Text").SelectMany(t => Enumerable.Repeat(t, 4)));
    }

    [TestMethod]
    public void RejectsColumnsThatAreNotText()
    {
        var ml = new MLContext(seed: 0);
        var act = () => ml.Data.AugmentText(Sentences(ml), new EasyDataAugmentation(), "Label");
        act.Should().Throw<ArgumentException>().WithMessage("*'Label'*text column*");
    }
}
