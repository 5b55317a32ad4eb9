// Loads a saved ML.NET model zip in a process of its own and scores feature vectors with it, as a user's
// application would. Nothing here calls code of Microsoft.ML.DeepExtensions: the model is a chain of ML.NET
// built-ins, plus stateless CustomMapping glue that ML.NET itself resolves by assembly name at Load time.
//
// Usage: dotnet Microsoft.ML.DeepExtensions.ModelLoader.dll <model.zip> <features.bin> <scores.bin> [dimensions]
//
// features.bin (little-endian): int32 rows, int32 width, then rows * width float32 values, row-major. They become
// a "Features" column of type Vector<Single, width>, or, when dimensions are given (comma-separated, e.g. 1,28,28 for
// the image column ExtractPixels declares; their product must be width), Vector<Single, d1, d2, ...>.
// scores.bin (little-endian, System.IO.BinaryWriter): int32 rows, int32 column count, then per output column
// (those of Score, Probability, PredictedLabel that the model produces, in that order): string name, string type
// (DataViewType.ToString()), int32 width, then rows * width float32 values (Boolean as 0/1, a key as its raw
// 1-based number).
// Exit codes: 0 success, 1 failure (message on stderr), 2 wrong arguments.

using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.ModelLoader;

if (args.Length is not (3 or 4))
{
    Console.Error.WriteLine("usage: Microsoft.ML.DeepExtensions.ModelLoader <model.zip> <features.bin> <scores.bin> [dimensions, e.g. 1,28,28]");
    return 2;
}

try
{
    var ml = new MLContext(seed: 0);
    var features = FeatureFile.Read(args[1]);
    int[]? dimensions = args.Length == 4 ? args[3].Split(',').Select(d => int.Parse(d, System.Globalization.CultureInfo.InvariantCulture)).ToArray() : null;
    var input = features.ToDataView(ml, dimensions);
    var model = ml.Model.Load(args[0], out _);
    try
    {
        var scored = model.Transform(input);
        ScoreFile.Write(args[2], scored, features.Rows, ["Score", "Probability", "PredictedLabel"]);
    }
    finally
    {
        // A loaded OnnxTransformer unpacks the ONNX graph to a temporary file that only Dispose deletes.
        (model as IDisposable)?.Dispose();
    }
    return 0;
}
catch (Exception e)
{
    Console.Error.WriteLine(e.ToString());
    return 1;
}
