namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>
/// The 3,000 labelled sentences of <c>data/text/sentiment_labelled_sentences.csv</c> (<c>label,source,"text"</c>, the
/// text quoted with doubled inner quotes).
/// </summary>
public static class SentenceData
{
    private static readonly Lazy<string[]> Texts = new(() => File.ReadLines(TestData.Path("text/sentiment_labelled_sentences.csv"))
        .Skip(1)
        .Select(line =>
        {
            int second = line.IndexOf(',', line.IndexOf(',') + 1);
            string quoted = line[(second + 1)..];
            return quoted.StartsWith('"') ? quoted[1..^1].Replace("\"\"", "\"") : quoted;
        })
        .ToArray());

    /// <summary>The sentences' texts, in file order.</summary>
    public static IReadOnlyList<string> Sentences => Texts.Value;
}
