using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Transforms;

/// <summary>
/// How a normalizer sees its column: each row holds <see cref="SlotCount"/> = K·L Single values, grouped into K
/// features (slots, or channels) of L values each (1 per slot, H·W pixels per channel).
/// </summary>
/// <param name="SlotCount">D, the column's size.</param>
/// <param name="FeatureCount">K: D per slot, C per channel.</param>
/// <param name="GroupLength">L = D / K.</param>
/// <param name="Dimensions">The column's dimensions, e.g. <c>[13]</c> or <c>[3, 32, 32]</c>.</param>
/// <param name="Scope">Per slot or per channel.</param>
internal sealed record NormalizerLayout(int SlotCount, int FeatureCount, int GroupLength, int[] Dimensions, NormalizationScope Scope)
{
    /// <summary>The per-example shape the <see cref="Engine.Layers.AffineNormalization"/> map sees: <c>(K)</c> or <c>(K, L)</c>.</summary>
    public int[] MapShape => GroupLength == 1 ? [FeatureCount] : [FeatureCount, GroupLength];

    /// <summary>What a statistic is called in messages: "slot" or "channel".</summary>
    public string FeatureWord => Scope == NormalizationScope.PerChannel ? "channel" : "slot";

    /// <summary>Finds the layout of <paramref name="column"/> (which must be a known-size vector of Single).</summary>
    /// <exception cref="ArgumentException">The column has another type, or its channels cannot be determined.</exception>
    public static NormalizerLayout Resolve(DataViewSchema.Column column, NormalizationScope scope, int? channelCount, string transform)
    {
        var vector = CheckType(column.Name, column.Type, transform);
        int size = vector.Size;
        int[] dims = vector.Dimensions.ToArray();
        if (scope == NormalizationScope.PerSlot) return new NormalizerLayout(size, size, 1, dims, scope);

        // ExtractPixels(interleavePixelColors: true) declares (H, W, C): per-channel statistics over (C, H, W) would then be per row.
        if (channelCount is null && Data.PixelLayout.LooksInterleaved(dims))
            throw new ArgumentException(
                $"{transform} per channel: column '{column.Name}' has the dimensions ({dims[0]}, {dims[1]}, {dims[2]}), which look like interleaved pixels " +
                "(height, width, channels); it needs channel-major (C, H, W) images. Use ExtractPixels with interleavePixelColors: false (the default), " +
                "or set Options.ChannelCount if the column really holds channel-major images.");
        int channels = channelCount ?? (dims.Length == 3 ? dims[0] : throw new ArgumentException(
            $"{transform} per channel needs the channel count of column '{column.Name}', a vector of {size} values with dimensions ({string.Join(", ", dims)}): " +
            "set Options.ChannelCount, or produce the column with ExtractPixels, which declares (C, H, W)."));
        if (channels < 1 || size % channels != 0)
            throw new ArgumentException($"{transform} per channel: column '{column.Name}' has {size} values, which is not a whole number of images of {channels} channels.");
        return new NormalizerLayout(size, channels, size / channels, dims, scope);
    }

    /// <summary>Checks that <paramref name="type"/> is a known-size vector of Single.</summary>
    /// <exception cref="ArgumentException">It is not; the message says what to do.</exception>
    public static VectorDataViewType CheckType(string name, DataViewType type, string transform) => type switch
    {
        VectorDataViewType { Size: > 0 } v when v.ItemType == NumberDataViewType.Single => v,
        VectorDataViewType v when v.ItemType == NumberDataViewType.Single =>
            throw new ArgumentException($"Column '{name}' is a variable-size vector; {transform} needs a known-size vector of Single (e.g. from Concatenate, or ResizeImages + ExtractPixels)."),
        NumberDataViewType n when n == NumberDataViewType.Single =>
            throw new ArgumentException($"Column '{name}' is a scalar Single; {transform} normalizes vectors. Make it a vector first: mlContext.Transforms.Concatenate(\"{name}\", \"{name}\")."),
        _ => throw new ArgumentException($"Column '{name}' has type {type}; {transform} needs a known-size vector of Single. Convert it with mlContext.Transforms.Conversion.ConvertType or Concatenate."),
    };
}
