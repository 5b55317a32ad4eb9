using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Data;

namespace Microsoft.ML.DeepExtensions.Scoring;

/// <summary>
/// What a freshly fitted model checks about the feature column of the data it is applied to (<c>GetOutputSchema</c>,
/// <c>GetRowToRowMapper</c>, <c>Transform</c>; so also <c>CreatePredictionEngine</c>), before any row is read: a known-size
/// vector of Single (or a Single, for one value) holding as many values as the network reads; for an image model, also
/// declared dimensions that describe the model's <c>(C, H, W)</c> images. Without it a column of another shape reaches
/// ONNX Runtime and fails row by row with a message about tensor lengths.
/// </summary>
/// <remarks>
/// Dimensions are compared once leading 1s are dropped (<c>(H, W)</c> is one channel), and the training column's own
/// dimensions are always accepted. A flat vector (one dimension) of the right size is accepted for images too.
/// The check is not part of the saved chain of ML.NET built-ins: a model reloaded with <c>mlContext.Model.Load</c> has
/// only ML.NET's <c>OnnxTransformer</c> checks.
/// </remarks>
internal sealed class FeatureColumnCheck
{
    private readonly string _column;
    private readonly int _size;
    private readonly int[]? _image;
    private readonly int[]? _trainingDimensions;

    private FeatureColumnCheck(string column, int size, int[]? image, int[]? trainingDimensions)
    {
        _column = column;
        _size = size;
        _image = image;
        _trainingDimensions = trainingDimensions;
    }

    /// <summary>A network that reads <paramref name="size"/> values of column <paramref name="column"/>, whatever their dimensions.</summary>
    public static FeatureColumnCheck ForVector(string column, int size) => new(column, size, null, null);

    /// <summary>A network that reads images of shape <paramref name="shape"/> <c>(C, H, W)</c>, trained on a column of type <paramref name="trainingType"/>.</summary>
    public static FeatureColumnCheck ForImages(string column, IReadOnlyList<int> shape, DataViewType trainingType)
    {
        int[]? trained = trainingType is VectorDataViewType { Dimensions.Length: > 1 } v ? v.Dimensions.ToArray() : null;
        return new(column, shape.Aggregate(1, (a, b) => a * b), shape.ToArray(), trained);
    }

    /// <summary>Checks the feature column of <paramref name="schema"/>.</summary>
    /// <param name="schema">The schema of the data the model is applied to.</param>
    /// <param name="paramName">The caller's parameter, for the exception.</param>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing, is not Single values, or has another size or other image dimensions (the message names the column, its shape and the model's).</exception>
    public void Check(DataViewSchema schema, string paramName)
    {
        var column = schema.GetColumnOrNull(_column) ?? throw new ArgumentOutOfRangeException(paramName,
            $"The input has no feature column '{_column}'. Its columns are: {SchemaColumns.List(schema)}.");
        switch (column.Type)
        {
            case NumberDataViewType n when n.RawType == typeof(float):
                if (_size != 1) throw Mismatch(paramName, $"Column '{_column}' holds one Single value; this model reads {Expected()}.");
                return;
            case VectorDataViewType { ItemType.RawType: var item } v when item == typeof(float):
                if (v.Size == 0)
                    throw Mismatch(paramName, $"Column '{_column}' is a variable-size vector; this model reads {Expected()}. Use a transform that fixes its size (e.g. ResizeImages + ExtractPixels).");
                var dims = v.Dimensions.ToArray();
                if (v.Size != _size)
                    throw Mismatch(paramName, $"Column '{_column}' has {v.Size} values{(dims.Length > 1 ? " " + PixelLayout.Format(dims) : "")}; this model reads {Expected()}.{Hint(dims)}");
                if (_image is not null && dims.Length > 1 && !PixelLayout.SameShape(dims, _image)
                    && !(_trainingDimensions is not null && PixelLayout.SameShape(dims, _trainingDimensions)))
                    throw Mismatch(paramName, $"Column '{_column}' declares the dimensions {PixelLayout.Format(dims)}; this model reads {Expected()}.{Hint(dims)}");
                return;
            default:
                throw Mismatch(paramName, $"Column '{_column}' has type {column.Type}; this model reads a known-size vector of {_size} Single values. " +
                    "Convert it with mlContext.Transforms.Conversion.ConvertType.");
        }
    }

    private static ArgumentOutOfRangeException Mismatch(string paramName, string message) => new(paramName, message);

    private string Expected() => _image is null
        ? _size.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : $"{PixelLayout.Format(_image)} images ({_size} values)";

    // What to do about declared image dimensions that differ from the model's (C, H, W).
    private string Hint(int[] dims)
    {
        if (_image is null) return " Give it the features it was trained on (the same transforms before it).";
        int c = _image[0], h = _image[1], w = _image[2];
        if (dims.Length > 1 && PixelLayout.LooksInterleaved(dims))
            return " The dimensions look like interleaved pixels (height, width, channels): use ExtractPixels with interleavePixelColors: false (the default).";
        if (dims.Length == 3 && dims[1] == h && dims[2] == w)
            return c == 1
                ? " Use ConvertToGrayscale and ExtractPixels with ColorBits.Red (one channel), or train on colour images."
                : $" Extract {c} channels with ExtractPixels (colorsToExtract), as for the training data.";
        if (dims.Length > 1)
            return $" Resize the images to {w}×{h} (ResizeImages(imageWidth: {w}, imageHeight: {h})) and extract {c} channel(s) in (C, H, W) order.";
        return $" Give it {c}·{h}·{w} pixel values per row in (C, H, W) order.";
    }
}
