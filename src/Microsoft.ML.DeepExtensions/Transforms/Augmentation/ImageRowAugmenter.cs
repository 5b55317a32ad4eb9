using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Augmentation;

namespace Microsoft.ML.DeepExtensions.Transforms.Augmentation;

/// <summary>Augments an image column (a vector of C·H·W Single values) with an <see cref="ImageAugmentationPipeline"/>.</summary>
internal sealed class ImageRowAugmenter : IRowAugmenter<VBuffer<float>>
{
    private readonly ImageAugmentationPipeline _pipeline;
    private readonly ulong _seed;
    private readonly int _channels, _height, _width;
    private readonly string _columnName;
    private readonly float[] _scratch;

    public ImageRowAugmenter(ImageAugmentationPipeline pipeline, ulong seed, int[] shape, string columnName)
    {
        _pipeline = pipeline;
        _seed = seed;
        (_channels, _height, _width) = (shape[0], shape[1], shape[2]);
        _columnName = columnName;
        _scratch = new float[_channels * _height * _width];
    }

    public void Augment(in VBuffer<float> source, ref VBuffer<float> destination, int copy, long row)
    {
        var values = Densify(source, ref destination, row, out var editor);
        _pipeline.Apply(values, _channels, _height, _width, new Rng(AugmentationSeed.ForExample(_seed, copy, row)), _scratch);
        destination = editor.Commit();
    }

    public void Copy(in VBuffer<float> source, ref VBuffer<float> destination) => source.CopyTo(ref destination);

    private Span<float> Densify(in VBuffer<float> source, ref VBuffer<float> destination, long row, out VBufferEditor<float> editor)
    {
        int length = _scratch.Length;
        if (source.Length != length)
            throw new InvalidOperationException($"Column '{_columnName}', row {row}: the image has {source.Length} values; ({_channels}, {_height}, {_width}) needs {length}.");
        editor = VBufferEditor.Create(ref destination, length);
        var values = editor.Values;
        if (source.IsDense)
        {
            source.GetValues().CopyTo(values);
            return values;
        }
        values.Clear();
        var indices = source.GetIndices();
        var explicitValues = source.GetValues();
        for (int i = 0; i < indices.Length; i++) values[indices[i]] = explicitValues[i];
        return values;
    }
}
