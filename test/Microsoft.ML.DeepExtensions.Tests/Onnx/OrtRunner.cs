using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

/// <summary>Runs a serialized ONNX model with ONNX Runtime on one float32 input (test helper).</summary>
internal static class OrtRunner
{
    /// <summary>The output of one graph output: its shape and elements.</summary>
    public sealed record Result(long[] Shape, float[] Data);

    /// <summary>Runs <paramref name="model"/> on <paramref name="input"/> (shape <paramref name="shape"/>) and returns the named float outputs.</summary>
    public static Dictionary<string, Result> Run(byte[] model, string inputName, float[] input, long[] shape, params string[] outputNames)
    {
        using var session = new InferenceSession(model);
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], outputNames);
        var results = new Dictionary<string, Result>();
        for (int i = 0; i < outputNames.Length; i++)
        {
            var info = outputs[i].GetTensorTypeAndShape();
            results[outputNames[i]] = new Result(info.Shape, outputs[i].GetTensorDataAsSpan<float>().ToArray());
        }
        return results;
    }

    /// <summary>Runs a model with one input and one float output and returns that output.</summary>
    public static Result RunSingle(byte[] model, string inputName, float[] input, long[] shape, string outputName) =>
        Run(model, inputName, input, shape, outputName)[outputName];
}
