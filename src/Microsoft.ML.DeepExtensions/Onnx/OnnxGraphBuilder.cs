using System.Reflection;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.DeepExtensions.Engine;
using Onnx;

namespace Microsoft.ML.DeepExtensions.Onnx;

/// <summary>
/// Builds one ONNX model: a graph of inputs, initializers (constant tensors), nodes and outputs, plus the model's
/// opset, producer and metadata; then serializes it (<see cref="ToBytes"/>, <see cref="Save(string)"/>).
/// </summary>
/// <remarks>
/// <para><b>Shapes.</b> Inputs and outputs are declared with a symbolic batch dimension first (named
/// <see cref="DefaultBatchDimension"/>, <c>"N"</c>, by default) followed by fixed dimensions: an input of row shape
/// <c>(D)</c> is <c>[N, D]</c>. Further dimensions can be made symbolic by name (e.g. the time axis <c>T</c> of
/// sequences <c>[N, T, F]</c>). ONNX Runtime then accepts any batch size, and ML.NET's <c>OnnxTransformer</c>
/// (which feeds one row at a time) reads the batch dimension as 1.</para>
/// <para><b>Opset.</b> <see cref="DefaultOpsetVersion"/> is 17 (IR version 8): the first opset with
/// <c>LayerNormalization</c>, supported by every ONNX Runtime since 1.13 (the tests run ONNX Runtime 1.31, the
/// version ML.NET 5.0.1's <c>OnnxTransformer</c> is used with here). Other domains, e.g. <c>ai.onnx.ml</c>, are
/// added with <see cref="ImportOpset"/>.</para>
/// <para><b>Order and names.</b> Nodes must be added in topological order: every input of a node must already be
/// a graph input, an initializer or the output of an earlier node (an empty string marks an omitted optional
/// input). Each value is defined once. <see cref="UniqueName"/> hands out fresh names from a hint
/// (<c>"fc1_weight"</c>, <c>"fc1_weight_1"</c>, ...); names given explicitly are checked for clashes.</para>
/// <para><b>Serialization.</b> Float tensors are stored little-endian in <c>raw_data</c>. <see cref="Save(string)"/>
/// writes to a temporary file in the target folder and then moves it into place, so a reader never sees a
/// half-written model and a failed save leaves the previous file intact.</para>
/// </remarks>
public sealed class OnnxGraphBuilder
{
    /// <summary>The default ONNX opset of the default domain: 17.</summary>
    public const int DefaultOpsetVersion = 17;

    /// <summary>The default name of the symbolic batch dimension: <c>"N"</c>.</summary>
    public const string DefaultBatchDimension = "N";

    private readonly GraphProto _graph = new();
    private readonly Dictionary<string, long> _opsets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _metadata = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> _defined = new(StringComparer.Ordinal);

    /// <summary>Creates an empty model.</summary>
    /// <param name="graphName">The graph's name (default <c>"main"</c>).</param>
    /// <param name="opsetVersion">The opset of the default ONNX domain (default <see cref="DefaultOpsetVersion"/>).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="opsetVersion"/> is below 7.</exception>
    public OnnxGraphBuilder(string graphName = "main", int opsetVersion = DefaultOpsetVersion)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 7);
        _graph.Name = string.IsNullOrEmpty(graphName) ? "main" : graphName;
        _opsets[""] = opsetVersion;
        OpsetVersion = opsetVersion;
        ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
    }

    /// <summary>The opset version of the default domain.</summary>
    public int OpsetVersion { get; }

    /// <summary>The producer recorded in the model (default <c>"Microsoft.ML.DeepExtensions"</c>).</summary>
    public string ProducerName { get; set; } = "Microsoft.ML.DeepExtensions";

    /// <summary>The producer version recorded in the model (default: this assembly's informational version).</summary>
    public string ProducerVersion { get; set; }

    /// <summary>The model's version number (ONNX <c>model_version</c>, default 0).</summary>
    public long ModelVersion { get; set; }

    /// <summary>A human-readable description of the model (ONNX <c>doc_string</c>), or null.</summary>
    public string? DocString { get; set; }

    /// <summary>The names of the graph inputs, in order.</summary>
    public IReadOnlyList<string> InputNames => _graph.Input.Select(v => v.Name).ToArray();

    /// <summary>The names of the graph outputs, in order.</summary>
    public IReadOnlyList<string> OutputNames => _graph.Output.Select(v => v.Name).ToArray();

    /// <summary>The number of nodes added so far.</summary>
    public int NodeCount => _graph.Node.Count;

    /// <summary>Declares the opset version used for operators of another domain (e.g. <c>"ai.onnx.ml"</c>, 3).</summary>
    /// <exception cref="ArgumentException"><paramref name="domain"/> is empty (the default domain's opset is set in the constructor).</exception>
    public void ImportOpset(string domain, int version)
    {
        if (string.IsNullOrEmpty(domain))
            throw new ArgumentException("The default domain's opset is set in the constructor.", nameof(domain));
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        _opsets[domain] = version;
    }

    /// <summary>Adds a model metadata property (ONNX <c>metadata_props</c>); setting a key again replaces its value.</summary>
    /// <exception cref="ArgumentException"><paramref name="key"/> is null or empty.</exception>
    public void SetMetadata(string key, string value)
    {
        if (string.IsNullOrEmpty(key)) throw new ArgumentException("A metadata key cannot be empty.", nameof(key));
        ArgumentNullException.ThrowIfNull(value);
        _metadata[key] = value;
    }

    /// <summary>
    /// Returns a name not used yet in this graph, derived from <paramref name="hint"/> (the hint itself, else
    /// <c>hint_1</c>, <c>hint_2</c>, ...), and reserves it.
    /// </summary>
    public string UniqueName(string hint)
    {
        if (string.IsNullOrEmpty(hint)) hint = "v";
        string name = hint;
        for (int k = 1; _reserved.Contains(name); k++) name = $"{hint}_{k}";
        _reserved.Add(name);
        return name;
    }

    /// <summary>Declares a graph input <c>[batch, *shape]</c> (or exactly <c>shape</c> when <paramref name="batchDimension"/> is null).</summary>
    /// <param name="name">The input's name; it must not be in use.</param>
    /// <param name="shape">The fixed dimensions after the batch dimension (each ≥ 1).</param>
    /// <param name="elementType">The element type (default float).</param>
    /// <param name="batchDimension">The name of the symbolic leading batch dimension, or null for a fully fixed shape.</param>
    /// <param name="dimensionNames">Optional symbolic names for the dimensions of <paramref name="shape"/>, one entry per
    /// dimension: a non-null entry makes that dimension symbolic (its size in <paramref name="shape"/> is then ignored),
    /// e.g. <c>["T", null]</c> for sequences <c>[N, T, F]</c> of any length. Null (default): all fixed.</param>
    /// <returns><paramref name="name"/>, now a defined value.</returns>
    /// <exception cref="ArgumentException">The name is in use, a fixed dimension is below 1, or <paramref name="dimensionNames"/> does not have one entry per dimension.</exception>
    public string AddInput(string name, ReadOnlySpan<int> shape, OnnxElementType elementType = OnnxElementType.Float, string? batchDimension = DefaultBatchDimension,
        IReadOnlyList<string?>? dimensionNames = null)
    {
        ClaimExact(name, nameof(name));
        _graph.Input.Add(ValueInfo(name, shape, elementType, batchDimension, dimensionNames));
        _defined.Add(name);
        return name;
    }

    /// <summary>Declares a graph output <c>[batch, *shape]</c> (or exactly <c>shape</c> when <paramref name="batchDimension"/> is null).
    /// The value may be produced by a node added later, or already exist.</summary>
    /// <param name="name">The output's name: an existing value, or a name not in use (reserved here for the node that will produce it).</param>
    /// <param name="shape">The fixed dimensions after the batch dimension (each ≥ 1).</param>
    /// <param name="elementType">The element type (default float).</param>
    /// <param name="batchDimension">The name of the symbolic leading batch dimension, or null for a fully fixed shape.</param>
    /// <param name="dimensionNames">Optional symbolic names for the dimensions of <paramref name="shape"/> (see <see cref="AddInput"/>).</param>
    /// <exception cref="ArgumentException">The name is already a graph output, or reserved by <see cref="UniqueName"/> without being defined, a fixed dimension is below 1, or <paramref name="dimensionNames"/> does not have one entry per dimension.</exception>
    public void AddOutput(string name, ReadOnlySpan<int> shape, OnnxElementType elementType = OnnxElementType.Float, string? batchDimension = DefaultBatchDimension,
        IReadOnlyList<string?>? dimensionNames = null)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An ONNX value needs a name.", nameof(name));
        if (_graph.Output.Any(o => o.Name == name))
            throw new ArgumentException($"'{name}' is already a graph output.", nameof(name));
        if (!_defined.Contains(name)) ClaimExact(name, nameof(name));
        _graph.Output.Add(ValueInfo(name, shape, elementType, batchDimension, dimensionNames));
    }

    /// <summary>True when <paramref name="name"/> is a defined value of the graph: an input, an initializer or the output of a node added so far.</summary>
    public bool IsDefined(string name) => !string.IsNullOrEmpty(name) && _defined.Contains(name);

    /// <summary>Adds a float32 initializer (a constant tensor stored in the model) named after <paramref name="nameHint"/>.</summary>
    /// <param name="nameHint">The preferred name; made unique with <see cref="UniqueName"/>.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="shape">The tensor's shape (empty for a scalar); its element count must equal <paramref name="values"/>' length.</param>
    /// <returns>The initializer's name.</returns>
    /// <exception cref="ArgumentException">The shape does not match the number of values.</exception>
    public string AddInitializer(string nameHint, ReadOnlySpan<float> values, ReadOnlySpan<int> shape)
    {
        var tensor = NewTensorProto(values.Length, shape, OnnxElementType.Float);
        tensor.RawData = ByteString.CopyFrom(LittleEndianBytes(values));
        return AddInitializerProto(nameHint, tensor);
    }

    /// <summary>Adds a float32 initializer holding a copy of <paramref name="tensor"/> (same shape).</summary>
    /// <returns>The initializer's name.</returns>
    public string AddInitializer(string nameHint, Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return AddInitializer(nameHint, tensor.Span, tensor.Shape);
    }

    /// <summary>Adds a 1-D float32 initializer of shape <c>[values.Length]</c>.</summary>
    /// <returns>The initializer's name.</returns>
    public string AddInitializer(string nameHint, ReadOnlySpan<float> values) => AddInitializer(nameHint, values, [values.Length]);

    /// <summary>Adds an int64 initializer (shapes, axes, indices).</summary>
    /// <param name="nameHint">The preferred name; made unique with <see cref="UniqueName"/>.</param>
    /// <param name="values">The elements, row-major.</param>
    /// <param name="shape">The tensor's shape (empty for a scalar); its element count must equal <paramref name="values"/>' length.</param>
    /// <returns>The initializer's name.</returns>
    /// <exception cref="ArgumentException">The shape does not match the number of values.</exception>
    public string AddInt64Initializer(string nameHint, ReadOnlySpan<long> values, ReadOnlySpan<int> shape)
    {
        var tensor = NewTensorProto(values.Length, shape, OnnxElementType.Int64);
        tensor.RawData = ByteString.CopyFrom(LittleEndianBytes(values));
        return AddInitializerProto(nameHint, tensor);
    }

    /// <summary>Adds a 1-D int64 initializer of shape <c>[values.Length]</c> (e.g. the target shape of a <c>Reshape</c>).</summary>
    /// <returns>The initializer's name.</returns>
    public string AddInt64Initializer(string nameHint, params ReadOnlySpan<long> values) => AddInt64Initializer(nameHint, values, [values.Length]);

    /// <summary>Adds a 1-D string initializer (UTF-8), e.g. class labels to <c>Gather</c> from.</summary>
    /// <returns>The initializer's name.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> or one of its items is null.</exception>
    public string AddStringInitializer(string nameHint, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var tensor = NewTensorProto(values.Count, [values.Count], OnnxElementType.String);
        foreach (string s in values)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(values));
            tensor.StringData.Add(ByteString.CopyFromUtf8(s));
        }
        return AddInitializerProto(nameHint, tensor);
    }

    /// <summary>Adds a node computing <paramref name="outputs"/> from <paramref name="inputs"/> with the operator <paramref name="opType"/>.</summary>
    /// <param name="opType">The operator, e.g. <c>Gemm</c>, <c>Relu</c>.</param>
    /// <param name="inputs">Existing values (an empty string marks an omitted optional input).</param>
    /// <param name="outputs">New value names (not yet defined; names from <see cref="UniqueName"/> and declared graph outputs are fine).</param>
    /// <param name="attributes">The node's attributes, or null.</param>
    /// <param name="name">The node's name, or null for a generated one (<c>{opType}_{k}</c>).</param>
    /// <param name="domain">The operator's domain: empty for the default ONNX domain, else a domain declared with <see cref="ImportOpset"/>.</param>
    /// <exception cref="ArgumentException">An input is not defined yet, an output is already defined or taken, or the domain was not imported.</exception>
    public void AddNode(string opType, IReadOnlyList<string> inputs, IReadOnlyList<string> outputs,
        IReadOnlyList<OnnxAttribute>? attributes = null, string? name = null, string domain = "")
    {
        if (string.IsNullOrEmpty(opType)) throw new ArgumentException("A node needs an operator type.", nameof(opType));
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        domain ??= "";
        if (!_opsets.ContainsKey(domain))
            throw new ArgumentException($"Domain '{domain}' has no opset: call ImportOpset(\"{domain}\", version) first.", nameof(domain));
        if (outputs.Count == 0) throw new ArgumentException($"A {opType} node needs at least one output.", nameof(outputs));
        foreach (string input in inputs)
        {
            ArgumentNullException.ThrowIfNull(input, nameof(inputs));
            if (input.Length > 0 && !_defined.Contains(input))
                throw new ArgumentException($"{opType} input '{input}' is not defined yet: add the graph input, initializer or producing node first.", nameof(inputs));
        }
        var fresh = new HashSet<string>(StringComparer.Ordinal);
        foreach (string output in outputs)
        {
            if (string.IsNullOrEmpty(output)) throw new ArgumentException($"{opType} has an empty output name.", nameof(outputs));
            if (_defined.Contains(output) || !fresh.Add(output))
                throw new ArgumentException($"{opType} output '{output}' is already defined: every ONNX value is assigned once.", nameof(outputs));
        }

        var node = new NodeProto { OpType = opType, Domain = domain, Name = name is null ? UniqueName(opType) : ClaimExact(name, nameof(name)) };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attributes is not null)
            foreach (var a in attributes) node.Attribute.Add(a.ToProto());
        foreach (string output in outputs)
        {
            _reserved.Add(output);
            _defined.Add(output);
        }
        _graph.Node.Add(node);
    }

    /// <summary>Adds a single-output node whose output gets a fresh name, and returns that name:
    /// <c>var h = graph.Apply("Relu", [x]);</c></summary>
    /// <exception cref="ArgumentException">An input is not defined yet.</exception>
    public string Apply(string opType, IReadOnlyList<string> inputs, params IReadOnlyList<OnnxAttribute> attributes)
    {
        string output = UniqueName(opType.ToLowerInvariant());
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    /// <summary>Serializes the model (ONNX protobuf bytes).</summary>
    /// <exception cref="InvalidOperationException">The graph has no output, or an output is never produced.</exception>
    public byte[] ToBytes() => BuildModel().ToByteArray();

    /// <summary>Writes the serialized model to <paramref name="stream"/> (left open).</summary>
    /// <exception cref="InvalidOperationException">The graph has no output, or an output is never produced.</exception>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var model = BuildModel();
        model.WriteTo(stream);
        stream.Flush();
    }

    /// <summary>
    /// Writes the model to <paramref name="path"/> atomically: the bytes go to a temporary file in the same
    /// folder, which is then moved over <paramref name="path"/> (replacing an existing file). On failure the
    /// temporary file is deleted and <paramref name="path"/> is left as it was.
    /// </summary>
    /// <exception cref="InvalidOperationException">The graph has no output, or an output is never produced.</exception>
    /// <exception cref="IOException">The folder does not exist or cannot be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        byte[] bytes = ToBytes();
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? ".";
        string temp = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Builds a fresh protobuf model from the current state (checked: every graph output is produced).</summary>
    internal ModelProto BuildModel()
    {
        if (_graph.Output.Count == 0)
            throw new InvalidOperationException("The graph has no output: call AddOutput.");
        foreach (var output in _graph.Output)
            if (!_defined.Contains(output.Name))
                throw new InvalidOperationException($"Graph output '{output.Name}' is never produced: no node, input or initializer defines it.");

        var model = new ModelProto
        {
            IrVersion = OpsetVersion >= 21 ? 10 : OpsetVersion >= 19 ? 9 : 8,
            ProducerName = ProducerName ?? "",
            ProducerVersion = ProducerVersion ?? "",
            ModelVersion = ModelVersion,
            DocString = DocString ?? "",
            Graph = _graph.Clone(),
        };
        foreach (var (domain, version) in _opsets)
            model.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        foreach (var (key, value) in _metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string AddInitializerProto(string nameHint, TensorProto tensor)
    {
        tensor.Name = UniqueName(nameHint);
        _defined.Add(tensor.Name);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    private string ClaimExact(string name, string paramName)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An ONNX value needs a name.", paramName);
        if (!_reserved.Add(name))
            throw new ArgumentException($"The name '{name}' is already used in this graph.", paramName);
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, ReadOnlySpan<int> shape, OnnxElementType elementType, string? batchDimension,
        IReadOnlyList<string?>? dimensionNames)
    {
        if (dimensionNames is not null && dimensionNames.Count != shape.Length)
            throw new ArgumentException($"'{name}' has {shape.Length} dimensions after the batch dimension but {dimensionNames.Count} dimension names were given.", nameof(dimensionNames));
        var tensorShape = new TensorShapeProto();
        if (batchDimension is not null)
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchDimension });
        for (int i = 0; i < shape.Length; i++)
        {
            string? symbol = dimensionNames?[i];
            if (!string.IsNullOrEmpty(symbol))
            {
                tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = symbol });
                continue;
            }
            int d = shape[i];
            if (d < 1) throw new ArgumentException($"'{name}' has dimension {d}; fixed dimensions must be >= 1.", nameof(shape));
            tensorShape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)elementType, Shape = tensorShape } },
        };
    }

    private static TensorProto NewTensorProto(int count, ReadOnlySpan<int> shape, OnnxElementType elementType)
    {
        long expected = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"Initializer dimensions must be >= 0, got {d}.", nameof(shape));
            expected *= d;
        }
        if (expected != count)
            throw new ArgumentException($"Shape [{string.Join(", ", shape.ToArray())}] holds {expected} values but {count} were given.", nameof(shape));
        var tensor = new TensorProto { DataType = (int)elementType };
        foreach (int d in shape) tensor.Dims.Add(d);
        return tensor;
    }

    private static byte[] LittleEndianBytes<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        byte[] bytes = MemoryMarshal.AsBytes(values).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            int size = Marshal.SizeOf<T>();
            for (int i = 0; i < bytes.Length; i += size) Array.Reverse(bytes, i, size);
        }
        return bytes;
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
