namespace Microsoft.ML.DeepExtensions.Scoring;

// Stateless glue of the sequence trainers' scoring chains. ML.NET's OnnxTransformer rejects variable-size vector
// columns ("Variable length input columns not supported") and feeds every input with the fixed shape the ONNX graph
// declares, so a variable-length sequence must become a known-size vector before it reaches the graph, and no
// built-in transform pads a vector. These CustomMapping factories copy a sequence's values (Single values, or the
// words of token keys after the built-in MapKeyToValue) into a padded vector of a fixed size (the first `size` values
// are kept; padding is 0 or "") and report how many values the row had. The size is part of the output type, so there
// is one factory per size; a trainer picks the smallest that holds its padded sequences (powers of 4), and its graph
// reads only the first T·F values. See docs/design/recurrent.md.
// A contract never changes once shipped: a new behaviour gets a new ".vN" name.

/// <summary>Pads sequences for the scoring chains of the sequence trainers.</summary>
internal static class SequencePadding
{
    /// <summary>The column the glue reads.</summary>
    public const string InputColumn = nameof(SequenceValues.DxSequence);

    /// <summary>The padded, known-size vector column the glue writes.</summary>
    public const string PaddedColumn = "DxPaddedSequence";

    /// <summary>The Int32 column holding the number of values of the row before padding or truncation.</summary>
    public const string CountColumn = "DxValueCount";

    /// <summary>The column the token glue reads (the words of the token keys).</summary>
    public const string TokenInputColumn = nameof(TokenValues.DxTokens);

    /// <summary>The padded, known-size vector of words the token glue writes.</summary>
    public const string PaddedTokensColumn = "DxPaddedTokens";

    /// <summary>The fixed sizes a token glue exists for.</summary>
    public static IReadOnlyList<int> TokenSizes { get; } = [16, 64, 256, 1024, 4096, 16384];

    /// <summary>The smallest padded size of the token glue that holds <paramref name="tokens"/> words.</summary>
    /// <exception cref="ArgumentException">More words than the largest size.</exception>
    public static int TokenSizeFor(long tokens)
    {
        foreach (int size in TokenSizes)
            if (size >= tokens) return size;
        throw new ArgumentException($"A padded sequence of {tokens} tokens is longer than the {TokenSizes[^1]} tokens ML.NET scoring supports; lower MaxSequenceLength.");
    }

    /// <summary>The estimator padding <see cref="TokenInputColumn"/> to <paramref name="size"/> words (one of <see cref="TokenSizes"/>).</summary>
    public static IEstimator<ITransformer> CreateForTokens(MLContext ml, int size) => size switch
    {
        16 => ml.Transforms.CustomMapping<TokenValues, PaddedTokens16>(PadTokens16.Map, PadTokens16.ContractName),
        64 => ml.Transforms.CustomMapping<TokenValues, PaddedTokens64>(PadTokens64.Map, PadTokens64.ContractName),
        256 => ml.Transforms.CustomMapping<TokenValues, PaddedTokens256>(PadTokens256.Map, PadTokens256.ContractName),
        1024 => ml.Transforms.CustomMapping<TokenValues, PaddedTokens1024>(PadTokens1024.Map, PadTokens1024.ContractName),
        4096 => ml.Transforms.CustomMapping<TokenValues, PaddedTokens4096>(PadTokens4096.Map, PadTokens4096.ContractName),
        16384 => ml.Transforms.CustomMapping<TokenValues, PaddedTokens16384>(PadTokens16384.Map, PadTokens16384.ContractName),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "No token padding glue of that size."),
    };

    /// <summary>Copies the first <c>destination.Length</c> words of <paramref name="source"/>, fills the rest with ""; returns the source's length.</summary>
    public static int Pad(string[]? source, string[] destination)
    {
        source ??= [];
        int n = Math.Min(source.Length, destination.Length);
        for (int i = 0; i < n; i++) destination[i] = source[i] ?? "";
        destination.AsSpan(n).Fill("");
        return source.Length;
    }

    /// <summary>The fixed sizes a glue exists for.</summary>
    public static IReadOnlyList<int> Sizes { get; } = [16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576];

    /// <summary>The smallest padded size that holds <paramref name="values"/> values.</summary>
    /// <exception cref="ArgumentException">More values than the largest size.</exception>
    public static int SizeFor(long values)
    {
        foreach (int size in Sizes)
            if (size >= values) return size;
        throw new ArgumentException($"A padded sequence of {values} values is longer than the {Sizes[^1]} values ML.NET scoring supports; lower MaxSequenceLength.");
    }

    /// <summary>The estimator padding <see cref="InputColumn"/> to <paramref name="size"/> values (one of <see cref="Sizes"/>).</summary>
    public static IEstimator<ITransformer> Create(MLContext ml, int size) => size switch
    {
        16 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence16>(PadSequence16.Map, PadSequence16.ContractName),
        64 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence64>(PadSequence64.Map, PadSequence64.ContractName),
        256 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence256>(PadSequence256.Map, PadSequence256.ContractName),
        1024 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence1024>(PadSequence1024.Map, PadSequence1024.ContractName),
        4096 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence4096>(PadSequence4096.Map, PadSequence4096.ContractName),
        16384 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence16384>(PadSequence16384.Map, PadSequence16384.ContractName),
        65536 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence65536>(PadSequence65536.Map, PadSequence65536.ContractName),
        262144 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence262144>(PadSequence262144.Map, PadSequence262144.ContractName),
        1048576 => ml.Transforms.CustomMapping<SequenceValues, PaddedSequence1048576>(PadSequence1048576.Map, PadSequence1048576.ContractName),
        _ => throw new ArgumentOutOfRangeException(nameof(size), size, "No sequence padding glue of that size."),
    };

    /// <summary>Copies the first <c>destination.Length</c> values of <paramref name="source"/>, zero-fills the rest; returns the source's length.</summary>
    public static int Pad(float[]? source, float[] destination)
    {
        source ??= [];
        int n = Math.Min(source.Length, destination.Length);
        source.AsSpan(0, n).CopyTo(destination);
        destination.AsSpan(n).Clear();
        return source.Length;
    }
}
