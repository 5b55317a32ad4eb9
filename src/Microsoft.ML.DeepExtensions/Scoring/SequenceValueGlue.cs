using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Scoring;

// The padding glue for Single sequences (see SequencePadding.cs).

/// <summary>The input of the sequence padding glue: a sequence's values (any length). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SequenceValues
{
    /// <summary>The values, step by step.</summary>
    public float[] DxSequence { get; set; } = [];
}

/// <summary>A sequence padded to 16 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence16
{
    /// <summary>The first 16 values, zero-padded.</summary>
    [VectorType(16)]
    public float[] DxPaddedSequence { get; set; } = new float[16];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 16 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence16 : CustomMappingFactory<SequenceValues, PaddedSequence16>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence16.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence16 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 16) destination.DxPaddedSequence = new float[16];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence16> GetMapping() => Map;
}

/// <summary>A sequence padded to 64 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence64
{
    /// <summary>The first 64 values, zero-padded.</summary>
    [VectorType(64)]
    public float[] DxPaddedSequence { get; set; } = new float[64];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 64 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence64 : CustomMappingFactory<SequenceValues, PaddedSequence64>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence64.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence64 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 64) destination.DxPaddedSequence = new float[64];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence64> GetMapping() => Map;
}

/// <summary>A sequence padded to 256 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence256
{
    /// <summary>The first 256 values, zero-padded.</summary>
    [VectorType(256)]
    public float[] DxPaddedSequence { get; set; } = new float[256];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 256 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence256 : CustomMappingFactory<SequenceValues, PaddedSequence256>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence256.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence256 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 256) destination.DxPaddedSequence = new float[256];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence256> GetMapping() => Map;
}

/// <summary>A sequence padded to 1,024 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence1024
{
    /// <summary>The first 1,024 values, zero-padded.</summary>
    [VectorType(1024)]
    public float[] DxPaddedSequence { get; set; } = new float[1024];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 1,024 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence1024 : CustomMappingFactory<SequenceValues, PaddedSequence1024>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence1024.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence1024 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 1024) destination.DxPaddedSequence = new float[1024];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence1024> GetMapping() => Map;
}

/// <summary>A sequence padded to 4,096 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence4096
{
    /// <summary>The first 4,096 values, zero-padded.</summary>
    [VectorType(4096)]
    public float[] DxPaddedSequence { get; set; } = new float[4096];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 4,096 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence4096 : CustomMappingFactory<SequenceValues, PaddedSequence4096>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence4096.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence4096 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 4096) destination.DxPaddedSequence = new float[4096];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence4096> GetMapping() => Map;
}

/// <summary>A sequence padded to 16,384 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence16384
{
    /// <summary>The first 16,384 values, zero-padded.</summary>
    [VectorType(16384)]
    public float[] DxPaddedSequence { get; set; } = new float[16384];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 16,384 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence16384 : CustomMappingFactory<SequenceValues, PaddedSequence16384>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence16384.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence16384 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 16384) destination.DxPaddedSequence = new float[16384];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence16384> GetMapping() => Map;
}

/// <summary>A sequence padded to 65,536 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence65536
{
    /// <summary>The first 65,536 values, zero-padded.</summary>
    [VectorType(65536)]
    public float[] DxPaddedSequence { get; set; } = new float[65536];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 65,536 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence65536 : CustomMappingFactory<SequenceValues, PaddedSequence65536>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence65536.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence65536 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 65536) destination.DxPaddedSequence = new float[65536];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence65536> GetMapping() => Map;
}

/// <summary>A sequence padded to 262,144 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence262144
{
    /// <summary>The first 262,144 values, zero-padded.</summary>
    [VectorType(262144)]
    public float[] DxPaddedSequence { get; set; } = new float[262144];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 262,144 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence262144 : CustomMappingFactory<SequenceValues, PaddedSequence262144>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence262144.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence262144 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 262144) destination.DxPaddedSequence = new float[262144];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence262144> GetMapping() => Map;
}

/// <summary>A sequence padded to 1,048,576 values. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PaddedSequence1048576
{
    /// <summary>The first 1,048,576 values, zero-padded.</summary>
    [VectorType(1048576)]
    public float[] DxPaddedSequence { get; set; } = new float[1048576];

    /// <summary>The number of values before padding or truncation.</summary>
    public int DxValueCount { get; set; }
}

/// <summary>Pads a sequence to 1,048,576 values (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class PadSequence1048576 : CustomMappingFactory<SequenceValues, PaddedSequence1048576>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.PadSequence1048576.v1";

    /// <summary>Pads or truncates <paramref name="source"/> into <paramref name="destination"/>.</summary>
    public static void Map(SequenceValues source, PaddedSequence1048576 destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.DxPaddedSequence?.Length != 1048576) destination.DxPaddedSequence = new float[1048576];
        destination.DxValueCount = SequencePadding.Pad(source.DxSequence, destination.DxPaddedSequence);
    }

    /// <inheritdoc />
    public override Action<SequenceValues, PaddedSequence1048576> GetMapping() => Map;
}
