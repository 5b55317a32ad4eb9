namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// Text augmentation by the four operations of EDA (Wei &amp; Zou, "EDA: Easy Data Augmentation Techniques for Boosting
/// Performance on Text Classification Tasks", EMNLP 2019): synonym replacement (SR), random insertion (RI), random swap
/// (RS) and random deletion (RD), with synonyms from a dictionary you supply.
/// </summary>
/// <remarks>
/// <para><b>Words.</b> The text is split at white space into tokens; a token's <i>word</i> is the token without its
/// leading and trailing punctuation (<c>"movie,"</c> → <c>movie</c>), looked up case-insensitively in the synonym
/// dictionary. A changed text is re-joined with single spaces; an unchanged one is returned as is (same string).</para>
/// <para><b>Operations</b>, for a text of <c>l</c> tokens and a rate α: the number of words changed is
/// <c>n = ⌊α·l⌋ + Bernoulli(α·l − ⌊α·l⌋)</c>, so that on average exactly α·l words change (the paper's
/// <c>n = α·l</c>; its reference code uses <c>max(1, int(α·l))</c>, which changes at least one word and overshoots
/// short sentences).</para>
/// <list type="bullet">
/// <item><b>SR</b>: <c>n</c> distinct tokens whose word has synonyms (all of them if fewer) each get a random synonym,
/// keeping the token's punctuation and, if the word was capitalized, a capital first letter.</item>
/// <item><b>RI</b>: <c>n</c> times, a random synonym of a random token's word (among tokens with synonyms) is inserted
/// at a random position (0..count).</item>
/// <item><b>RS</b>: <c>n</c> times, two distinct random positions swap their tokens (texts of 2+ tokens).</item>
/// <item><b>RD</b>: each token is deleted with probability <c>p</c> (the RD rate); a text of one token is kept, and if
/// every token would go, one random token stays (as the paper).</item>
/// </list>
/// <para><b>Combining.</b> By default each call applies <i>one</i> operation, chosen uniformly among those with a
/// non-zero rate (the paper makes each augmented sentence with one operation, in equal shares); with
/// <see cref="ApplyAllOperations"/> every enabled operation applies in the order SR, RI, RS, RD. All rates 0 leaves
/// every text unchanged.</para>
/// <para><b>Draws</b> (from the <see cref="Rng"/> passed in, in this order): the operation (<c>NextInt(m)</c> over the
/// <c>m</c> enabled ones; not drawn with <see cref="ApplyAllOperations"/>); then per operation, the Bernoulli of
/// <c>n</c> (<c>NextDouble</c>, not for RD) and the operation's own draws in the order described.</para>
/// <para>Instances are immutable and can be shared by threads.</para>
/// </remarks>
public sealed class EasyDataAugmentation
{
    private readonly Dictionary<string, string[]> _synonyms = new(StringComparer.OrdinalIgnoreCase);
    private readonly float _sr = 0.1f, _ri = 0.1f, _rs = 0.1f, _rd = 0.1f;

    /// <summary>Creates the augmenter.</summary>
    /// <param name="synonyms">
    /// The synonym dictionary: word → synonyms (case-insensitive keys; entries that are empty, repeated or equal to the
    /// word are ignored; keys differing only in case are merged). Null or empty: SR and RI find nothing to change.
    /// </param>
    public EasyDataAugmentation(IReadOnlyDictionary<string, string[]>? synonyms = null)
    {
        if (synonyms is null) return;
        foreach (var (key, values) in synonyms)
        {
            string word = key?.Trim() ?? "";
            if (word.Length == 0 || values is null) continue;
            var list = _synonyms.TryGetValue(word, out var existing) ? existing.ToList() : [];
            foreach (string? v in values)
            {
                string s = v?.Trim() ?? "";
                if (s.Length > 0 && !s.Equals(word, StringComparison.OrdinalIgnoreCase) && !list.Contains(s, StringComparer.OrdinalIgnoreCase))
                    list.Add(s);
            }
            if (list.Count > 0) _synonyms[word] = [.. list];
        }
    }

    /// <summary>α_sr, the fraction of words replaced by a synonym, in [0, 1]. Default 0.1 (the paper's general choice).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1].</exception>
    public float SynonymReplacementRate { get => _sr; init => _sr = CheckRate(value); }

    /// <summary>α_ri, the number of inserted synonyms as a fraction of the words, in [0, 1]. Default 0.1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1].</exception>
    public float RandomInsertionRate { get => _ri; init => _ri = CheckRate(value); }

    /// <summary>α_rs, the number of swaps as a fraction of the words, in [0, 1]. Default 0.1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1].</exception>
    public float RandomSwapRate { get => _rs; init => _rs = CheckRate(value); }

    /// <summary>p_rd, the probability of deleting each word, in [0, 1]. Default 0.1.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [0, 1].</exception>
    public float RandomDeletionRate { get => _rd; init => _rd = CheckRate(value); }

    /// <summary>Apply every enabled operation (SR, RI, RS, RD in turn) instead of one chosen at random. Default false.</summary>
    public bool ApplyAllOperations { get; init; }

    /// <summary>The number of words with synonyms.</summary>
    public int SynonymCount => _synonyms.Count;

    /// <summary>The synonyms of <paramref name="word"/> (case-insensitive), or an empty list.</summary>
    public IReadOnlyList<string> SynonymsOf(string word) => _synonyms.TryGetValue(word, out var s) ? s : [];

    /// <summary>Augments <paramref name="text"/> with draws from <paramref name="rng"/>.</summary>
    /// <returns>The augmented text, or <paramref name="text"/> itself when nothing changed.</returns>
    public string Augment(string text, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(rng);
        Span<int> enabled = stackalloc int[4];
        int m = 0;
        if (_sr > 0) enabled[m++] = 0;
        if (_ri > 0) enabled[m++] = 1;
        if (_rs > 0) enabled[m++] = 2;
        if (_rd > 0) enabled[m++] = 3;
        if (m == 0) return text;
        var original = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (original.Length == 0) return text;
        var tokens = new List<string>(original);
        int l = original.Length;
        if (ApplyAllOperations)
            foreach (int op in enabled[..m]) Run(op, tokens, l, rng);
        else
            Run(enabled[rng.NextInt(m)], tokens, l, rng);
        return tokens.SequenceEqual(original) ? text : string.Join(' ', tokens);
    }

    /// <summary>Augments <paramref name="text"/> with the generator of (<paramref name="seed"/>, <paramref name="pass"/>, <paramref name="row"/>) (<see cref="AugmentationSeed.ForExample"/>).</summary>
    public string Augment(string text, ulong seed, long pass, long row) => Augment(text, new Rng(AugmentationSeed.ForExample(seed, pass, row)));

    private void Run(int op, List<string> tokens, int l, Rng rng)
    {
        switch (op)
        {
            case 0: ReplaceSynonyms(tokens, Count(_sr, l, rng), rng); break;
            case 1: InsertSynonyms(tokens, Count(_ri, l, rng), rng); break;
            case 2: Swap(tokens, Count(_rs, l, rng), rng); break;
            default: Delete(tokens, _rd, rng); break;
        }
    }

    /// <summary><c>n = ⌊α·l⌋ + Bernoulli(frac(α·l))</c>: α·l words on average.</summary>
    private static int Count(float rate, int l, Rng rng)
    {
        double expected = (double)rate * l;
        int n = (int)Math.Floor(expected);
        return rng.NextDouble() < expected - n ? n + 1 : n;
    }

    private void ReplaceSynonyms(List<string> tokens, int n, Rng rng)
    {
        var eligible = Eligible(tokens);
        int k = Math.Min(n, eligible.Count);
        for (int i = 0; i < k; i++)
        {
            int j = i + rng.NextInt(eligible.Count - i);
            (eligible[i], eligible[j]) = (eligible[j], eligible[i]);
            int position = eligible[i];
            var (prefix, word, suffix) = Split(tokens[position]);
            string[] choices = _synonyms[word];
            tokens[position] = prefix + MatchCase(word, choices[rng.NextInt(choices.Length)]) + suffix;
        }
    }

    private void InsertSynonyms(List<string> tokens, int n, Rng rng)
    {
        for (int t = 0; t < n; t++)
        {
            var eligible = Eligible(tokens);
            if (eligible.Count == 0) return;
            string[] choices = _synonyms[Split(tokens[eligible[rng.NextInt(eligible.Count)]]).Word];
            string synonym = choices[rng.NextInt(choices.Length)];
            tokens.Insert(rng.NextInt(tokens.Count + 1), synonym);
        }
    }

    private static void Swap(List<string> tokens, int n, Rng rng)
    {
        for (int t = 0; t < n && tokens.Count >= 2; t++)
        {
            int i = rng.NextInt(tokens.Count), j = rng.NextInt(tokens.Count - 1);
            if (j >= i) j++;
            (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
        }
    }

    private static void Delete(List<string> tokens, float p, Rng rng)
    {
        if (tokens.Count <= 1) return;
        var kept = new List<string>(tokens.Count);
        foreach (string token in tokens)
            if (!(rng.NextDouble() < p)) kept.Add(token);
        if (kept.Count == 0) kept.Add(tokens[rng.NextInt(tokens.Count)]);
        tokens.Clear();
        tokens.AddRange(kept);
    }

    private List<int> Eligible(List<string> tokens)
    {
        var eligible = new List<int>();
        for (int i = 0; i < tokens.Count; i++)
        {
            string word = Split(tokens[i]).Word;
            if (word.Length > 0 && _synonyms.ContainsKey(word)) eligible.Add(i);
        }
        return eligible;
    }

    /// <summary>Splits a token into leading punctuation, the word, and trailing punctuation (anything not a letter or digit).</summary>
    internal static (string Prefix, string Word, string Suffix) Split(string token)
    {
        int start = 0, end = token.Length;
        while (start < end && !char.IsLetterOrDigit(token[start])) start++;
        while (end > start && !char.IsLetterOrDigit(token[end - 1])) end--;
        return (token[..start], token[start..end], token[end..]);
    }

    private static string MatchCase(string word, string synonym) =>
        word.Length > 0 && char.IsUpper(word[0]) && synonym.Length > 0 && char.IsLower(synonym[0])
            ? char.ToUpperInvariant(synonym[0]) + synonym[1..]
            : synonym;

    private static float CheckRate(float rate) =>
        rate is >= 0f and <= 1f ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "An EDA rate must be in [0, 1].");
}
