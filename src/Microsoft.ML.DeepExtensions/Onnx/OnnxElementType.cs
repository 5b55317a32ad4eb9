namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>
/// The element type of an ONNX tensor (the subset of ONNX's <c>TensorProto.DataType</c> that graphs built
/// here use). The numeric values are ONNX's.
/// </summary>
public enum OnnxElementType
{
    /// <summary>32-bit IEEE float (<c>tensor(float)</c>); the type of every network input and output.</summary>
    Float = 1,

    /// <summary>32-bit signed integer (<c>tensor(int32)</c>).</summary>
    Int32 = 6,

    /// <summary>64-bit signed integer (<c>tensor(int64)</c>): shapes, axes, indices (e.g. <c>ArgMax</c>'s output).</summary>
    Int64 = 7,

    /// <summary>UTF-8 string (<c>tensor(string)</c>), e.g. class labels.</summary>
    String = 8,

    /// <summary>Boolean (<c>tensor(bool)</c>), e.g. the output of <c>Greater</c>.</summary>
    Bool = 9,

    /// <summary>64-bit IEEE float (<c>tensor(double)</c>).</summary>
    Double = 11,
}
