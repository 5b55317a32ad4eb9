using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Scoring;

// The padding glue for token sequences, read as words (see SequencePadding.cs).

/// <summary>The input of the token padding glue: a sequence's words (any length). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TokenValues
{
    /// <summary>The words, in order ("" for a missing key).</summary>
    public string[] DxTokens { get; set; } = [];
}

/// <summary>A sequence of words padded to 16. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedTokens16
{
    /// <summary>The first 16 words, padded with "".</summary>
    [VectorType(16)]
    public string[] DxPaddedTokens { get; set; } = new string[16];

    /// <summary>The number of words before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence of words to 16 (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadTokens16 : CustomMappingFactory<TokenValues, PaddedTokens16>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadTokens16.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(TokenValues source, PaddedTokens16 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedTokens?.Length != 16) destination.DxPaddedTokens = new string[16];
        destination.DxValueCount = SequencePadding.Pad(source.DxTokens, destination.DxPaddedTokens);
    }

    /// <summary>The mapping.</summary>
    public override Action<TokenValues, PaddedTokens16> GetMapping() => Map;
}

/// <summary>A sequence of words padded to 64. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedTokens64
{
    /// <summary>The first 64 words, padded with "".</summary>
    [VectorType(64)]
    public string[] DxPaddedTokens { get; set; } = new string[64];

    /// <summary>The number of words before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence of words to 64 (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadTokens64 : CustomMappingFactory<TokenValues, PaddedTokens64>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadTokens64.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(TokenValues source, PaddedTokens64 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedTokens?.Length != 64) destination.DxPaddedTokens = new string[64];
        destination.DxValueCount = SequencePadding.Pad(source.DxTokens, destination.DxPaddedTokens);
    }

    /// <summary>The mapping.</summary>
    public override Action<TokenValues, PaddedTokens64> GetMapping() => Map;
}

/// <summary>A sequence of words padded to 256. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedTokens256
{
    /// <summary>The first 256 words, padded with "".</summary>
    [VectorType(256)]
    public string[] DxPaddedTokens { get; set; } = new string[256];

    /// <summary>The number of words before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence of words to 256 (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadTokens256 : CustomMappingFactory<TokenValues, PaddedTokens256>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadTokens256.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(TokenValues source, PaddedTokens256 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedTokens?.Length != 256) destination.DxPaddedTokens = new string[256];
        destination.DxValueCount = SequencePadding.Pad(source.DxTokens, destination.DxPaddedTokens);
    }

    /// <summary>The mapping.</summary>
    public override Action<TokenValues, PaddedTokens256> GetMapping() => Map;
}

/// <summary>A sequence of words padded to 1,024. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedTokens1024
{
    /// <summary>The first 1,024 words, padded with "".</summary>
    [VectorType(1024)]
    public string[] DxPaddedTokens { get; set; } = new string[1024];

    /// <summary>The number of words before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence of words to 1,024 (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadTokens1024 : CustomMappingFactory<TokenValues, PaddedTokens1024>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadTokens1024.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(TokenValues source, PaddedTokens1024 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedTokens?.Length != 1024) destination.DxPaddedTokens = new string[1024];
        destination.DxValueCount = SequencePadding.Pad(source.DxTokens, destination.DxPaddedTokens);
    }

    /// <summary>The mapping.</summary>
    public override Action<TokenValues, PaddedTokens1024> GetMapping() => Map;
}

/// <summary>A sequence of words padded to 4,096. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedTokens4096
{
    /// <summary>The first 4,096 words, padded with "".</summary>
    [VectorType(4096)]
    public string[] DxPaddedTokens { get; set; } = new string[4096];

    /// <summary>The number of words before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence of words to 4,096 (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadTokens4096 : CustomMappingFactory<TokenValues, PaddedTokens4096>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadTokens4096.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(TokenValues source, PaddedTokens4096 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedTokens?.Length != 4096) destination.DxPaddedTokens = new string[4096];
        destination.DxValueCount = SequencePadding.Pad(source.DxTokens, destination.DxPaddedTokens);
    }

    /// <summary>The mapping.</summary>
    public override Action<TokenValues, PaddedTokens4096> GetMapping() => Map;
}

/// <summary>A sequence of words padded to 16,384. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedTokens16384
{
    /// <summary>The first 16,384 words, padded with "".</summary>
    [VectorType(16384)]
    public string[] DxPaddedTokens { get; set; } = new string[16384];

    /// <summary>The number of words before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence of words to 16,384 (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadTokens16384 : CustomMappingFactory<TokenValues, PaddedTokens16384>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadTokens16384.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(TokenValues source, PaddedTokens16384 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedTokens?.Length != 16384) destination.DxPaddedTokens = new string[16384];
        destination.DxValueCount = SequencePadding.Pad(source.DxTokens, destination.DxPaddedTokens);
    }

    /// <summary>The mapping.</summary>
    public override Action<TokenValues, PaddedTokens16384> GetMapping() => Map;
}
