namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>The options every normalizer of this library shares: columns and scope.</summary>
public abstract class NormalizerOptionsBase
{
    private protected NormalizerOptionsBase()
    {
    }

    /// <summary>The column to write. Required.</summary>
    public string OutputColumnName { get; set; } = "";

    /// <summary>The column to read: a known-size vector of Single. Null (the default) for <see cref="OutputColumnName"/>.</summary>
    public string? InputColumnName { get; set; }

    /// <summary>Statistics per slot (default) or per image channel.</summary>
    public NormalizationScope Scope { get; set; } = NormalizationScope.PerSlot;

    /// <summary>
    /// <see cref="NormalizationScope.PerChannel"/>: the number of channels C of the planar <c>(C, H, W)</c> images in the
    /// column. Null (the default) reads it from the column's dimensions, which <c>ExtractPixels</c> declares as
    /// <c>(C, H, W)</c>; required for plain vectors.
    /// </summary>
    public int? ChannelCount { get; set; }

    /// <summary>The column read: <see cref="InputColumnName"/>, or <see cref="OutputColumnName"/> when it is null.</summary>
    internal string SourceColumnName => string.IsNullOrEmpty(InputColumnName) ? OutputColumnName : InputColumnName;

    /// <summary>Checks the options that need no data.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    internal virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(OutputColumnName))
            throw new ArgumentException("OutputColumnName is required.", nameof(OutputColumnName));
        if (!Enum.IsDefined(Scope))
            throw new ArgumentException($"Scope {Scope} is not a NormalizationScope.", nameof(Scope));
        if (ChannelCount is < 1)
            throw new ArgumentException($"ChannelCount must be at least 1; got {ChannelCount}.", nameof(ChannelCount));
        if (ChannelCount is not null && Scope != NormalizationScope.PerChannel)
            throw new ArgumentException("ChannelCount applies only to Scope = NormalizationScope.PerChannel.", nameof(ChannelCount));
    }

    /// <summary>Checks that <paramref name="values"/> (given statistics) are finite.</summary>
    private protected static void CheckFinite(float[] values, string name)
    {
        for (int i = 0; i < values.Length; i++)
            if (!float.IsFinite(values[i]))
                throw new ArgumentException($"{name}[{i}] is {values[i]}; given statistics must be finite.", name);
    }
}
