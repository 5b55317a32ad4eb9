using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// A stack of layers applied in order: <c>y = f_k(...f_2(f_1(x)))</c> (PyTorch <c>nn.Sequential</c>,
/// Keras <c>Sequential</c>).
/// </summary>
/// <remarks>
/// Parameters are listed layer by layer and named <c>"{index}.{name}"</c> as in PyTorch
/// (<c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>, ...). The first layer computes an input gradient only when
/// the Sequential's own <see cref="Layer.ComputeInputGradient"/> is true (the training loop turns it off for the
/// top-level network).
/// </remarks>
public sealed class Sequential : Layer
{
    private readonly Layer[] _layers;
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _buffers;

    /// <summary>Creates a stack of <paramref name="layers"/> (at least one).</summary>
    /// <exception cref="ArgumentException">No layers were given.</exception>
    public Sequential(params IEnumerable<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        _layers = layers.ToArray();
        if (_layers.Length == 0) throw new ArgumentException("A Sequential needs at least one layer.", nameof(layers));
        var parameters = new List<Parameter>();
        var buffers = new List<Tensor>();
        for (int i = 0; i < _layers.Length; i++)
        {
            foreach (var p in _layers[i].Parameters)
            {
                p.Name = $"{i}.{p.Name}";
                parameters.Add(p);
            }
            buffers.AddRange(_layers[i].Buffers);
        }
        _parameters = parameters.ToArray();
        _buffers = buffers.ToArray();
        _layers[0].ComputeInputGradient = false;
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<Layer> Layers => _layers;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <inheritdoc />
    public override IReadOnlyList<Tensor> Buffers => _buffers;

    /// <summary>Total number of trainable scalars.</summary>
    public long ParameterCount => _parameters.Sum(p => (long)p.Value.Length);

    /// <inheritdoc />
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        int[] shape = inputShape.ToArray();
        for (int i = 0; i < _layers.Length; i++)
        {
            try
            {
                shape = _layers[i].GetOutputShape(shape);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"Layer {i} ({_layers[i].Name}) cannot take input of shape [{string.Join(", ", shape)}]: {e.Message}", nameof(inputShape), e);
            }
        }
        return shape;
    }

    /// <inheritdoc />
    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor x = input;
        foreach (var layer in _layers)
            x = layer.Forward(x, training);
        return x;
    }

    /// <inheritdoc />
    public override Tensor? Backward(Tensor outputGradient)
    {
        _layers[0].ComputeInputGradient = ComputeInputGradient;
        Tensor? g = outputGradient;
        for (int i = _layers.Length - 1; i >= 0 && g is not null; i--)
            g = _layers[i].Backward(g);
        return g;
    }

    /// <summary>Emits every layer's nodes in order, each fed the previous layer's output.</summary>
    /// <exception cref="NotSupportedException">A layer has no ONNX export.</exception>
    public override string EmitOnnx(OnnxGraphBuilder graph, string input, ReadOnlySpan<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(graph);
        string x = input;
        int[] shape = inputShape.ToArray();
        foreach (var layer in _layers)
        {
            x = layer.EmitOnnx(graph, x, shape);
            shape = layer.GetOutputShape(shape);
        }
        return x;
    }

    /// <summary>Initializes every layer from its own stream forked from <paramref name="rng"/> (stream = layer index).</summary>
    public override void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        for (int i = 0; i < _layers.Length; i++)
            _layers[i].Initialize(rng.Fork((ulong)i));
    }

    /// <inheritdoc />
    public override string Name => "Sequential(" + string.Join(", ", _layers.Select(l => l.Name)) + ")";
}
