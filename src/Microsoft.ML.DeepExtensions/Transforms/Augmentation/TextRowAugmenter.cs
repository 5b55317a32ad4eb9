using Microsoft.ML.DeepExtensions.Engine.Augmentation;

namespace Microsoft.ML.DeepExtensions.Transforms.Augmentation;

/// <summary>Augments a text column with <see cref="EasyDataAugmentation"/>.</summary>
internal sealed class TextRowAugmenter : IRowAugmenter<ReadOnlyMemory<char>>
{
    private readonly EasyDataAugmentation _augmentation;
    private readonly ulong _seed;

    public TextRowAugmenter(EasyDataAugmentation augmentation, ulong seed)
    {
        _augmentation = augmentation;
        _seed = seed;
    }

    public void Augment(in ReadOnlyMemory<char> source, ref ReadOnlyMemory<char> destination, int copy, long row)
    {
        string text = source.ToString();
        string augmented = _augmentation.Augment(text, _seed, copy, row);
        destination = ReferenceEquals(augmented, text) ? source : augmented.AsMemory();
    }

    public void Copy(in ReadOnlyMemory<char> source, ref ReadOnlyMemory<char> destination) => destination = source;
}
