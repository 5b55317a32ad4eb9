namespace Microsoft.ML.DeepExtensions.Engine.Augmentation;

/// <summary>
/// The per-example seeds of augmentation: the example at row <c>r</c> of pass <c>k</c> (the epoch while training, the
/// copy in an augmented data view) of a run seeded with <c>s</c> draws from <c>new Rng(ForExample(s, k, r))</c>, so its
/// augmentation depends only on (s, k, r) and the example, never on batch order, cursor or thread count.
/// </summary>
public static class AugmentationSeed
{
    /// <summary>The seed of example <paramref name="row"/> in pass <paramref name="pass"/>: <c>SplitMix64(SplitMix64(seed, pass), row)</c> (<see cref="Rng.SplitMix64"/>).</summary>
    public static ulong ForExample(ulong seed, long pass, long row) =>
        Rng.SplitMix64(Rng.SplitMix64(seed, unchecked((ulong)pass)), unchecked((ulong)row));
}
