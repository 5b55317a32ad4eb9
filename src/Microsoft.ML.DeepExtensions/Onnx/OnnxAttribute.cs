using Google.Protobuf;
using Onnx;

namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>
/// A named attribute of an ONNX node: an integer, a float, a string, or a list of integers, floats or strings
/// (e.g. <c>OnnxAttribute.Int("axis", 1)</c>, <c>OnnxAttribute.Ints("perm", 0, 2, 1)</c>).
/// </summary>
/// <remarks>Create instances with the static factory methods; instances are immutable.</remarks>
public sealed class OnnxAttribute
{
    private readonly AttributeProto _proto;

    private OnnxAttribute(AttributeProto proto) => _proto = proto;

    /// <summary>The attribute's name, e.g. <c>axis</c>.</summary>
    public string Name => _proto.Name;

    /// <summary>An integer attribute (ONNX <c>INT</c>), e.g. <c>axis</c>, <c>transB</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Int(string name, long value) =>
        new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Int, I = value });

    /// <summary>A float attribute (ONNX <c>FLOAT</c>), e.g. <c>alpha</c>, <c>epsilon</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Float(string name, float value) =>
        new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Float, F = value });

    /// <summary>A string attribute (ONNX <c>STRING</c>, stored as UTF-8), e.g. <c>mode</c>, <c>auto_pad</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });
    }

    /// <summary>A list-of-integers attribute (ONNX <c>INTS</c>), e.g. <c>perm</c>, <c>kernel_shape</c>, <c>pads</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Ints(string name, params ReadOnlySpan<long> values)
    {
        var proto = new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Ints };
        foreach (long v in values) proto.Ints.Add(v);
        return new(proto);
    }

    /// <summary>A list-of-floats attribute (ONNX <c>FLOATS</c>), e.g. <c>Constant</c>'s <c>value_floats</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static OnnxAttribute Floats(string name, params ReadOnlySpan<float> values)
    {
        var proto = new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Floats };
        foreach (float v in values) proto.Floats.Add(v);
        return new(proto);
    }

    /// <summary>A list-of-strings attribute (ONNX <c>STRINGS</c>, stored as UTF-8), e.g. <c>LabelEncoder</c>'s <c>keys_strings</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its items is null.</exception>
    public static OnnxAttribute Strings(string name, params IEnumerable<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var proto = new AttributeProto { Name = CheckName(name), Type = AttributeProto.Types.AttributeType.Strings };
        foreach (string v in values)
        {
            ArgumentNullException.ThrowIfNull(v, nameof(values));
            proto.Strings.Add(ByteString.CopyFromUtf8(v));
        }
        return new(proto);
    }

    /// <summary>A copy of the protobuf message (each node gets its own).</summary>
    internal AttributeProto ToProto() => _proto.Clone();

    /// <inheritdoc />
    public override string ToString() => $"{Name}: {_proto.Type}";

    private static string CheckName(string name)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An ONNX attribute needs a name.", nameof(name));
        return name;
    }
}
