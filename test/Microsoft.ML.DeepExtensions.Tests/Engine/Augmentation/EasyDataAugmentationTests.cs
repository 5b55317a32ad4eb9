using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Augmentation;

/// <summary>
/// <see cref="EasyDataAugmentation"/> (Wei &amp; Zou 2019) on the 3,000 shipped sentences: rate 0 changes nothing;
/// the numbers of replaced, inserted, swapped and deleted words match the rates within 4 standard deviations of their
/// exact distribution; seeded runs repeat exactly.
/// </summary>
[TestClass]
public sealed class EasyDataAugmentationTests
{
    private static IReadOnlyList<string> Sentences => SentenceData.Sentences;

    private static string[] Tokens(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

    /// <summary>A dictionary giving every word of the corpus one synonym (the word + "_syn"), so that every word is eligible.</summary>
    private static readonly Lazy<Dictionary<string, string[]>> EveryWord = new(() => Sentences
        .SelectMany(Tokens)
        .Select(t => EasyDataAugmentation.Split(t).Word.ToLowerInvariant())
        .Where(w => w.Length > 0)
        .Distinct()
        .ToDictionary(w => w, w => new[] { w + "_syn" }));

    private static string[] AugmentAll(EasyDataAugmentation eda, ulong seed) =>
        Sentences.Select((s, row) => eda.Augment(s, seed, 0, row)).ToArray();

    /// <summary>Mean and variance of Σ min(n_s, cap_s), n_s = ⌊α·l⌋ + Bernoulli(frac(α·l)).</summary>
    private static (double Mean, double Variance) StochasticCount(double rate, Func<string[], int> cap)
    {
        double mean = 0, variance = 0;
        foreach (string s in Sentences)
        {
            var tokens = Tokens(s);
            double expected = rate * tokens.Length;
            int low = (int)Math.Floor(expected), c = cap(tokens);
            double f = expected - low, a = Math.Min(low, c), b = Math.Min(low + 1, c);
            mean += (1 - f) * a + f * b;
            variance += f * (1 - f) * (b - a) * (b - a);
        }
        return (mean, variance);
    }

    private static int EligibleCount(string[] tokens) => tokens.Count(t => EasyDataAugmentation.Split(t).Word.Length > 0);

    [TestMethod]
    public void RateZeroLeavesEveryTextUnchanged()
    {
        var none = new EasyDataAugmentation(EveryWord.Value) { SynonymReplacementRate = 0, RandomInsertionRate = 0, RandomSwapRate = 0, RandomDeletionRate = 0 };
        var output = AugmentAll(none, 1);
        for (int i = 0; i < output.Length; i++)
            ReferenceEquals(output[i], Sentences[i]).Should().BeTrue($"sentence {i} is returned as is");
    }

    [TestMethod]
    public void SynonymReplacementReplacesRateTimesTheWords()
    {
        const float rate = 0.15f;
        var eda = new EasyDataAugmentation(EveryWord.Value) { SynonymReplacementRate = rate, RandomInsertionRate = 0, RandomSwapRate = 0, RandomDeletionRate = 0 };
        var output = AugmentAll(eda, 2);
        long replaced = 0;
        for (int i = 0; i < output.Length; i++)
        {
            string[] before = Tokens(Sentences[i]), after = Tokens(output[i]);
            after.Length.Should().Be(before.Length);
            replaced += before.Zip(after).Count(p => p.First != p.Second);
        }
        var (mean, variance) = StochasticCount(rate, EligibleCount);
        Console.WriteLine($"SR: {replaced} words replaced, expected {mean:F1} ± {Math.Sqrt(variance):F1}");
        replaced.Should().BeCloseTo((long)Math.Round(mean), (ulong)Math.Ceiling(4 * Math.Sqrt(variance)) + 1);
    }

    [TestMethod]
    public void RandomInsertionInsertsRateTimesTheWords()
    {
        const float rate = 0.2f;
        var eda = new EasyDataAugmentation(EveryWord.Value) { SynonymReplacementRate = 0, RandomInsertionRate = rate, RandomSwapRate = 0, RandomDeletionRate = 0 };
        var output = AugmentAll(eda, 3);
        long inserted = output.Select((o, i) => (long)Tokens(o).Length - Tokens(Sentences[i]).Length).Sum();
        var (mean, variance) = StochasticCount(rate, t => EligibleCount(t) > 0 ? int.MaxValue : 0);
        Console.WriteLine($"RI: {inserted} words inserted, expected {mean:F1} ± {Math.Sqrt(variance):F1}");
        inserted.Should().BeCloseTo((long)Math.Round(mean), (ulong)Math.Ceiling(4 * Math.Sqrt(variance)) + 1);
        output.Zip(Sentences).Where(p => p.First != p.Second).Should().OnlyContain(p => p.First.Contains("_syn"), "inserted words are synonyms");
    }

    [TestMethod]
    public void RandomSwapMovesAboutTwiceRateTimesTheWords()
    {
        const float rate = 0.1f;
        var eda = new EasyDataAugmentation { SynonymReplacementRate = 0, RandomInsertionRate = 0, RandomSwapRate = rate, RandomDeletionRate = 0 };
        var output = AugmentAll(eda, 4);
        long moved = 0;
        for (int i = 0; i < output.Length; i++)
        {
            string[] before = Tokens(Sentences[i]), after = Tokens(output[i]);
            after.Order(StringComparer.Ordinal).Should().Equal(before.Order(StringComparer.Ordinal), "a swap keeps the words");
            moved += before.Zip(after).Count(p => p.First != p.Second);
        }
        var (swaps, variance) = StochasticCount(rate, t => t.Length >= 2 ? int.MaxValue : 0);
        double upper = 2 * (swaps + 4 * Math.Sqrt(variance));
        Console.WriteLine($"RS: {moved} words moved by about {swaps:F1} swaps (at most 2 each)");
        moved.Should().BeLessThanOrEqualTo((long)upper, "each swap moves at most two words");
        moved.Should().BeGreaterThan((long)(0.85 * 2 * (swaps - 4 * Math.Sqrt(variance))), "swaps rarely undo each other or exchange equal words");
    }

    [TestMethod]
    public void RandomDeletionDeletesEachWordWithTheRate()
    {
        const float p = 0.1f;
        var eda = new EasyDataAugmentation { SynonymReplacementRate = 0, RandomInsertionRate = 0, RandomSwapRate = 0, RandomDeletionRate = p };
        var output = AugmentAll(eda, 5);
        long deleted = 0;
        double mean = 0, variance = 0;
        for (int i = 0; i < output.Length; i++)
        {
            int l = Tokens(Sentences[i]).Length, after = Tokens(output[i]).Length;
            after.Should().BeGreaterThan(0, "a text never loses all its words");
            deleted += l - after;
            if (l < 2) continue;
            mean += l * p - Math.Pow(p, l); // all-deleted texts keep one word
            variance += l * p * (1 - p);
        }
        Console.WriteLine($"RD: {deleted} words deleted, expected {mean:F1} ± {Math.Sqrt(variance):F1}");
        deleted.Should().BeCloseTo((long)Math.Round(mean), (ulong)Math.Ceiling(4 * Math.Sqrt(variance)));
    }

    [TestMethod]
    public void EachCallAppliesOneOperationChosenUniformly()
    {
        var eda = new EasyDataAugmentation(EveryWord.Value) { SynonymReplacementRate = 0.2f, RandomInsertionRate = 0.2f, RandomSwapRate = 0.2f, RandomDeletionRate = 0.2f };
        var output = AugmentAll(eda, 6);
        int longer = 0, shorter = 0, reordered = 0, replaced = 0;
        for (int i = 0; i < output.Length; i++)
        {
            string[] before = Tokens(Sentences[i]), after = Tokens(output[i]);
            if (after.Length > before.Length) longer++;
            else if (after.Length < before.Length) shorter++;
            else if (after.Any(t => t.Contains("_syn"))) replaced++;
            else if (!after.SequenceEqual(before)) reordered++;
        }
        Console.WriteLine($"one operation per call: RI {longer}, RD {shorter}, RS {reordered}, SR {replaced} of {output.Length}");
        foreach (int count in new[] { longer, shorter, reordered, replaced })
            count.Should().BeInRange(600, 850, "about a quarter of 3,000 each (some RD and RS draws change nothing)");

        var all = new EasyDataAugmentation(EveryWord.Value) { ApplyAllOperations = true, RandomDeletionRate = 0 };
        string combined = all.Augment("one two three four five six seven eight nine ten", new Rng(1));
        Tokens(combined).Length.Should().Be(11, "SR then one insertion then one swap, at rate 0.1 of 10 words");
    }

    [TestMethod]
    public void SeededRunsRepeatExactly()
    {
        var eda = new EasyDataAugmentation(EveryWord.Value);
        var first = AugmentAll(eda, 7);
        AugmentAll(new EasyDataAugmentation(EveryWord.Value), 7).Should().Equal(first);
        var other = AugmentAll(eda, 8);
        first.Zip(other).Count(p => p.First != p.Second).Should().BeGreaterThan(Sentences.Count / 2);
    }

    [TestMethod]
    public void ReplacementKeepsPunctuationAndCapitals()
    {
        var synonyms = new Dictionary<string, string[]> { ["movie"] = ["film", "movie", "FILM"], ["Great"] = ["superb"], ["great"] = ["fine"] };
        var eda = new EasyDataAugmentation(synonyms) { SynonymReplacementRate = 1, RandomInsertionRate = 0, RandomSwapRate = 0, RandomDeletionRate = 0 };
        eda.SynonymsOf("MOVIE").Should().Equal("film"); // the word itself and case variants of a synonym are dropped
        eda.SynonymsOf("great").Should().Equal("superb", "fine");
        string output = eda.Augment("Great  movie, (really)!", new Rng(0));
        output.Should().MatchRegex("^(Superb|Fine) film, \\(really\\)!$");
        var badRate = () => new EasyDataAugmentation { RandomSwapRate = 1.5f };
        badRate.Should().Throw<ArgumentOutOfRangeException>();
    }
}
