using System.Numerics.Tensors;
using Microsoft.ML.DeepExtensions.Engine.Initializers;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// The common machinery of the multi-layer, optionally bidirectional recurrent layers <see cref="RNN"/>,
/// <see cref="LSTM"/> and <see cref="GRU"/> (PyTorch <c>nn.RNNBase</c> semantics with <c>batch_first=True</c>).
/// </summary>
/// <remarks>
/// <para><b>Shape.</b> Input <c>(N, T, H_in)</c> (batch, time, features); output <c>(N, T, D·H)</c> with
/// <c>D</c> = 2 when bidirectional, else 1: at each step the last layer's hidden state, the forward direction in
/// columns <c>0..H-1</c> and the reverse direction in <c>H..2H-1</c>. The initial states are zero (PyTorch's
/// default <c>h0 = c0 = 0</c>). Final states: <see cref="FinalHiddenState"/> <c>h_n</c> <c>(numLayers·D, N, H)</c>,
/// row <c>layer·D + direction</c>. An empty batch (<c>N = 0</c>) gives an empty <c>(0, T, D·H)</c> output, and its
/// Backward an empty input gradient and zero parameter gradients.</para>
/// <para><b>Variable lengths.</b> With <see cref="Lengths"/> set (see <see cref="SequenceLengths"/>), steps
/// <c>t ≥ lengths[n]</c> are padding: they do not change the state, their output is zero, and their input is never
/// read by the state (keep it finite: it still enters the one-GEMM input projection). The reverse direction starts
/// at the last valid step, as with PyTorch's packed sequences, and <c>h_n</c> holds each direction's state after
/// its last valid step. An empty sequence (length 0) gives zero outputs and zero final states.</para>
/// <para><b>Stacking.</b> Layer <c>k ≥ 1</c> reads the output of layer <c>k-1</c>, to which dropout with
/// probability <see cref="Dropout"/> is applied in training (not after the last layer).</para>
/// <para><b>Computation.</b> Per layer and direction, one GEMM projects all <c>N·T</c> input rows
/// (<c>X·W_ihᵀ + biases</c>); then each step runs one GEMM for the recurrent product and the fused gate math of
/// the cell. Backward through time runs the same loop in reverse with one GEMM per step for <c>dL/dh</c>, then one
/// GEMM each for <c>dW_ih</c>, <c>dW_hh</c> and <c>dX</c> over all steps, so the results do not depend on the number of
/// threads. Work buffers grow to the largest batch seen and are reused: no allocation per step or per batch.</para>
/// <para><b>Parameters.</b> Per layer <c>k</c> and direction (suffix <c>_reverse</c>), in PyTorch's order:
/// <c>weight_ih_l{k}</c> <c>[G·H, H_in]</c>, <c>weight_hh_l{k}</c> <c>[G·H, H]</c>, <c>bias_ih_l{k}</c>,
/// <c>bias_hh_l{k}</c> <c>[G·H]</c> (see <see cref="RecurrentWeights"/>); all initialized from
/// <c>U(-1/√H, 1/√H)</c> as in PyTorch.</para>
/// <para><b>ONNX.</b> One ONNX <c>RNN</c>/<c>LSTM</c>/<c>GRU</c> node per layer (time-major, gates reordered to
/// ONNX's order, <c>sequence_lens</c> from the <see cref="SequenceLengths"/> graph input when <see cref="Lengths"/> is
/// set), chained with <c>Transpose</c>/<c>Reshape</c>; the time dimension may be symbolic.</para>
/// </remarks>
public abstract partial class RecurrentLayer : Layer
{
    private const ulong DefaultSeed = 0x52656375727265UL;
    private readonly Parameter[] _parameters;
    private readonly RecurrentWeights[] _weights;
    private readonly Tensor[] _gates, _hiddenPrevious, _cells, _biasRows;
    private readonly Tensor[] _outputs, _dropped, _masks, _inputGradients;
    private readonly Tensor _finalHidden = new(0, 0, 0), _finalCell = new(0, 0, 0);
    private readonly Tensor _stepScratch = new(0), _rowScratch = new(0), _zeroGradient = new(0, 0, 0);
    private readonly Tensor _weightHhTransposed = new(0, 0);
    private readonly Tensor _gatesGradient = new(0), _recurrentGatesGradient = new(0), _hiddenCarry = new(0), _cellCarry = new(0);
    private readonly SequencePass _pass = new();
    private int[] _lengths = [];
    private Rng _dropoutRng = new(DefaultSeed ^ 0x5A5A);
    private Tensor? _input;
    private bool _hasOutput, _dropoutApplied;

    private protected RecurrentLayer(int inputSize, int hiddenSize, int numLayers, bool bias, bool bidirectional, float dropout, int gateCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(hiddenSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(numLayers, 1);
        if (!(dropout >= 0f && dropout < 1f))
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, $"Dropout between layers must be in [0, 1), got {dropout}.");
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        NumLayers = numLayers;
        HasBias = bias;
        Bidirectional = bidirectional;
        Dropout = dropout;
        GateCount = gateCount;
        int dirs = Directions, g = gateCount * hiddenSize, cells = numLayers * dirs;
        var parameters = new List<Parameter>();
        _weights = new RecurrentWeights[cells];
        for (int l = 0; l < numLayers; l++)
        {
            int inSize = l == 0 ? inputSize : dirs * hiddenSize;
            for (int d = 0; d < dirs; d++)
            {
                string suffix = $"_l{l}" + (d == 1 ? "_reverse" : "");
                var w = new RecurrentWeights(
                    new Parameter("weight_ih" + suffix, new Tensor(g, inSize), isWeight: true),
                    new Parameter("weight_hh" + suffix, new Tensor(g, hiddenSize), isWeight: true),
                    bias ? new Parameter("bias_ih" + suffix, new Tensor(g), isWeight: false) : null,
                    bias ? new Parameter("bias_hh" + suffix, new Tensor(g), isWeight: false) : null);
                _weights[l * dirs + d] = w;
                parameters.Add(w.WeightIh);
                parameters.Add(w.WeightHh);
                if (bias) { parameters.Add(w.BiasIh!); parameters.Add(w.BiasHh!); }
            }
        }
        _parameters = parameters.ToArray();
        _gates = NewTensors(cells, 3);
        _hiddenPrevious = NewTensors(cells, 3);
        _cells = NewTensors(cells, 3);
        _biasRows = NewTensors(cells, 1);
        _outputs = NewTensors(numLayers, 3);
        _dropped = NewTensors(numLayers, 3);
        _masks = NewTensors(numLayers, 3);
        _inputGradients = NewTensors(numLayers, 3);
        Initialize(new Rng(DefaultSeed));
    }

    /// <summary>Features per input step <c>H_in</c>.</summary>
    public int InputSize { get; }

    /// <summary>Features of the hidden state <c>H</c> (per direction).</summary>
    public int HiddenSize { get; }

    /// <summary>Number of stacked recurrent layers.</summary>
    public int NumLayers { get; }

    /// <summary>Whether the layers have the biases <c>b_ih</c> and <c>b_hh</c> (PyTorch <c>bias</c>).</summary>
    public bool HasBias { get; }

    /// <summary>Whether each layer also runs a reverse-time direction.</summary>
    public bool Bidirectional { get; }

    /// <summary>Number of directions <c>D</c>: 2 when <see cref="Bidirectional"/>, else 1.</summary>
    public int Directions => Bidirectional ? 2 : 1;

    /// <summary>Dropout probability applied in training to the output of every layer but the last.</summary>
    public float Dropout { get; }

    /// <summary>Number of gate blocks <c>G</c> of the cell (RNN 1, GRU 3, LSTM 4).</summary>
    public int GateCount { get; }

    /// <summary>The per-example sequence lengths read by <see cref="Forward"/>, or null (every sequence spans all <c>T</c> steps).</summary>
    public SequenceLengths? Lengths { get; set; }

    /// <summary>
    /// The final hidden states <c>h_n</c> <c>(numLayers·D, N, H)</c> of the last <see cref="Forward"/> (row
    /// <c>layer·D + direction</c>): each direction's state after its last valid step (zeros for an empty sequence).
    /// Owned by the layer and overwritten by the next Forward.
    /// </summary>
    public Tensor FinalHiddenState => _finalHidden;

    /// <inheritdoc />
    public override IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The parameters of one layer and direction (0 = forward, 1 = reverse).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The layer or direction does not exist.</exception>
    public RecurrentWeights GetWeights(int layer, int direction = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(layer);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(layer, NumLayers);
        ArgumentOutOfRangeException.ThrowIfNegative(direction);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(direction, Directions);
        return _weights[layer * Directions + direction];
    }

    /// <inheritdoc />
    public override string Name =>
        $"{GetType().Name}({InputSize}, {HiddenSize}" + (NumLayers > 1 ? $", num_layers={NumLayers}" : "") + (HasBias ? "" : ", bias=False") +
        (Bidirectional ? ", bidirectional=True" : "") + (Dropout > 0 ? $", dropout={Dropout}" : "") + NameSuffix + ")";

    private protected virtual string NameSuffix => "";

    /// <summary>Returns <c>[T, D·H]</c> for input <c>[T, H_in]</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="inputShape"/> is not <c>[T, H_in]</c>.</exception>
    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape)
    {
        if (inputShape.Length != 2 || inputShape[1] != InputSize)
            throw ShapeError(LayerChecks.Batched(inputShape));
        return [inputShape[0], Directions * HiddenSize];
    }

    /// <summary>Draws every parameter, in order, from <c>U(-1/√H, 1/√H)</c>, then re-seeds the dropout masks.</summary>
    public override void Initialize(Rng rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        foreach (var p in _parameters)
            FanInUniform.Instance.Initialize(p.Value.Span, HiddenSize, HiddenSize, rng);
        _dropoutRng = new Rng(rng.NextUInt64());
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The input is not <c>(N, T, H_in)</c>, or the lengths do not fit it.</exception>
    public override Tensor Forward(Tensor input, bool training)
    {
        LayerChecks.RequireBatched(input, this);
        if (input.Rank != 3 || input.Dim(2) != InputSize)
            throw ShapeError(LayerChecks.BatchedOf(input));
        int n = input.Dim(0), steps = input.Dim(1), dirs = Directions, h = HiddenSize;
        if (_lengths.Length < n) _lengths = new int[n];
        SequenceLengths.Resolve(Lengths, n, steps, _lengths, this);
        _finalHidden.Resize(NumLayers * dirs, n, h);
        if (HasCellState) _finalCell.Resize(NumLayers * dirs, n, h);
        bool drop = training && Dropout > 0f && NumLayers > 1;
        Tensor x = input;
        for (int l = 0; l < NumLayers; l++)
        {
            Tensor y = _outputs[l];
            y.Resize(n, steps, dirs * h);
            for (int d = 0; d < dirs; d++) ForwardDirection(l, d, x, y, n, steps);
            if (drop && l < NumLayers - 1)
            {
                ApplyDropout(y, _masks[l], _dropped[l]);
                x = _dropped[l];
            }
            else x = y;
        }
        _dropoutApplied = drop;
        _input = input;
        _hasOutput = true;
        return _outputs[NumLayers - 1];
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">The gradient is not shaped like the last output.</exception>
    public override Tensor? Backward(Tensor outputGradient)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        return Backward(outputGradient, null, null);
    }

    /// <summary>
    /// Back-propagates upstream gradients of the output and of the final states through the last <see cref="Forward"/>
    /// (e.g. the fixtures' <c>upstream_output</c>, <c>upstream_h_n</c>, <c>upstream_c_n</c>).
    /// </summary>
    /// <param name="outputGradient">dL/dOutput <c>(N, T, D·H)</c>, or null for zeros.</param>
    /// <param name="finalHiddenStateGradient">dL/dh_n <c>(numLayers·D, N, H)</c>, or null for zeros.</param>
    /// <param name="finalCellStateGradient">dL/dc_n <c>(numLayers·D, N, H)</c> (LSTM only), or null for zeros.</param>
    /// <returns>dL/dInput <c>(N, T, H_in)</c> (owned by the layer), or null when <see cref="Layer.ComputeInputGradient"/> is false.</returns>
    /// <exception cref="InvalidOperationException">Forward has not run.</exception>
    /// <exception cref="ArgumentException">A gradient has the wrong shape, or a cell-state gradient is given to a layer without cell state.</exception>
    public Tensor? Backward(Tensor? outputGradient, Tensor? finalHiddenStateGradient, Tensor? finalCellStateGradient)
    {
        if (!_hasOutput) throw new InvalidOperationException($"{Name}.Backward was called before Forward.");
        Tensor output = _outputs[NumLayers - 1];
        if (outputGradient is not null) LayerChecks.RequireGradientLike(outputGradient, output, this);
        CheckStateGradient(finalHiddenStateGradient, nameof(finalHiddenStateGradient));
        if (finalCellStateGradient is not null && !HasCellState)
            throw new ArgumentException($"{Name} has no cell state; pass null for the cell-state gradient.", nameof(finalCellStateGradient));
        CheckStateGradient(finalCellStateGradient, nameof(finalCellStateGradient));
        Tensor up = outputGradient ?? ZeroGradient(output);
        int dirs = Directions;
        for (int l = NumLayers - 1; l >= 0; l--)
        {
            Tensor x = l == 0 ? _input! : (_dropoutApplied ? _dropped[l - 1] : _outputs[l - 1]);
            Tensor? dx = l > 0 || ComputeInputGradient ? _inputGradients[l] : null;
            dx?.Resize(x.Shape);
            for (int d = 0; d < dirs; d++)
                BackwardDirection(l, d, x, up, finalHiddenStateGradient, finalCellStateGradient, dx);
            if (l > 0)
            {
                if (_dropoutApplied) TensorPrimitives.Multiply(dx!.Span, _masks[l - 1].Span, dx.Span);
                up = dx!;
            }
        }
        return ComputeInputGradient ? _inputGradients[0] : null;
    }

    private protected virtual bool HasCellState => false;

    private protected virtual bool SeparateRecurrentGradient => false;

    /// <summary>The bias added to every row of the input projection (G·H); by default <c>b_ih + b_hh</c>.</summary>
    private protected virtual void ProjectionBias(ReadOnlySpan<float> biasIh, ReadOnlySpan<float> biasHh, Span<float> destination) =>
        TensorPrimitives.Add(biasIh, biasHh, destination);

    /// <summary>The GRU's <c>b_hn</c>, applied inside the cell; null for the other cells.</summary>
    private protected virtual Tensor? NewGateBias(RecurrentWeights weights) => null;

    /// <summary>Runs the time loop of one direction (see <see cref="SequencePass"/>).</summary>
    private protected abstract void ForwardSequence(SequencePass pass);

    /// <summary>Runs backward through time for one direction, filling the gate gradients.</summary>
    private protected abstract void BackwardSequence(SequencePass pass);

    /// <summary>The final cell states c_n (LSTM); empty for cells without one.</summary>
    private protected Tensor FinalCell => _finalCell;

    private void ForwardDirection(int layer, int direction, Tensor x, Tensor y, int n, int steps)
    {
        int cell = layer * Directions + direction, h = HiddenSize, g = GateCount * h, inSize = x.Dim(2), rows = n * steps;
        RecurrentWeights w = _weights[cell];
        Tensor gates = _gates[cell];
        gates.Resize(n, steps, g);
        _hiddenPrevious[cell].Resize(n, steps, h);
        if (GateCount > 1) _cells[cell].Resize(n, steps, h);
        Span<float> gs = gates.Span;
        float beta = 0f;
        if (HasBias)
        {
            Tensor bias = _biasRows[cell];
            bias.Resize(g);
            ProjectionBias(w.BiasIh!.Value.Span, w.BiasHh!.Value.Span, bias.Span);
            for (int r = 0; r < rows; r++) bias.Span.CopyTo(gs.Slice(r * g, g));
            beta = 1f;
        }
        Gemm.Multiply(false, true, rows, g, inSize, 1f, x.Span, inSize, w.WeightIh.Value.Span, inSize, beta, gs, g);

        SequencePass p = Prepare(layer, direction, n, steps);
        p.Output = y;
        _weightHhTransposed.Resize(h, g);
        MatrixTranspose.Transpose(w.WeightHh.Value.Span, g, h, _weightHhTransposed.Span);
        p.WeightHhTransposed = _weightHhTransposed;
        _stepScratch.Resize(n * g);
        if (rows > 0) ForwardSequence(p); // an empty batch (N = 0) or T = 0 has no step to run

        // Final states: each direction's state after its last valid step.
        Span<float> hn = _finalHidden.Span.Slice(cell * n * h, n * h);
        Span<float> cn = HasCellState ? _finalCell.Span.Slice(cell * n * h, n * h) : default;
        ReadOnlySpan<float> ys = y.Span, cs = _cells[cell].Span;
        for (int b = 0; b < n; b++)
        {
            int length = _lengths[b];
            Span<float> hRow = hn.Slice(b * h, h);
            if (length == 0)
            {
                hRow.Clear();
                if (HasCellState) cn.Slice(b * h, h).Clear();
                continue;
            }
            int row = b * steps + p.FinalStep(length);
            ys.Slice(row * p.OutputRowStride + p.OutputOffset, h).CopyTo(hRow);
            if (HasCellState) cs.Slice(row * h, h).CopyTo(cn.Slice(b * h, h));
        }
    }

    private void BackwardDirection(int layer, int direction, Tensor x, Tensor up, Tensor? dHn, Tensor? dCn, Tensor? dx)
    {
        int cell = layer * Directions + direction, h = HiddenSize, g = GateCount * h, inSize = x.Dim(2);
        int n = x.Dim(0), steps = x.Dim(1), rows = n * steps;
        RecurrentWeights w = _weights[cell];
        _gatesGradient.Resize(n, steps, g);
        Tensor recurrentGradient = SeparateRecurrentGradient ? _recurrentGatesGradient : _gatesGradient;
        recurrentGradient.Resize(n, steps, g);
        _hiddenCarry.Resize(n, h);
        _hiddenCarry.Clear();
        _cellCarry.Resize(n, h);
        _cellCarry.Clear();

        SequencePass p = Prepare(layer, direction, n, steps);
        p.Output = _outputs[layer];
        p.OutputGradient = up;
        p.FinalHiddenGradient = dHn;
        p.FinalCellGradient = dCn;
        p.FinalGradientOffset = cell * n * h;
        p.GatesGradient = _gatesGradient;
        p.RecurrentGatesGradient = recurrentGradient;
        p.HiddenCarry = _hiddenCarry;
        p.CellCarry = _cellCarry;
        if (rows > 0) BackwardSequence(p); // with no row the GEMMs below write zero gradients

        ReadOnlySpan<float> dGi = _gatesGradient.Span, dGh = recurrentGradient.Span;
        // dW_ih = dGᵀ·X and dW_hh = dG_hᵀ·H_prev over all N·T rows: one GEMM each, a fixed summation order.
        Gemm.Multiply(true, false, g, inSize, rows, 1f, dGi, g, x.Span, inSize, 0f, w.WeightIh.Gradient.Span, inSize);
        Gemm.Multiply(true, false, g, h, rows, 1f, dGh, g, _hiddenPrevious[cell].Span, h, 0f, w.WeightHh.Gradient.Span, h);
        if (HasBias)
        {
            ColumnSums(dGi, rows, g, w.BiasIh!.Gradient.Span);
            if (SeparateRecurrentGradient) ColumnSums(dGh, rows, g, w.BiasHh!.Gradient.Span);
            else w.BiasIh.Gradient.Span.CopyTo(w.BiasHh!.Gradient.Span);
        }
        if (dx is not null)
            Gemm.Multiply(false, false, rows, inSize, g, 1f, dGi, g, w.WeightIh.Value.Span, inSize, direction == 0 ? 0f : 1f, dx.Span, inSize);
    }

    private SequencePass Prepare(int layer, int direction, int n, int steps)
    {
        int cell = layer * Directions + direction, h = HiddenSize;
        RecurrentWeights w = _weights[cell];
        _rowScratch.Resize(2 * h);
        SequencePass p = _pass;
        p.Batch = n;
        p.Steps = steps;
        p.Hidden = h;
        p.Reverse = direction == 1;
        p.Lengths = _lengths;
        p.Gates = _gates[cell];
        p.HiddenPrevious = _hiddenPrevious[cell];
        p.Cell = _cells[cell];
        p.OutputRowStride = Directions * h;
        p.OutputOffset = direction * h;
        p.WeightHh = w.WeightHh.Value;
        p.NewGateBias = NewGateBias(w);
        p.StepScratch = _stepScratch;
        p.RowScratch = _rowScratch;
        p.FinalHiddenGradient = p.FinalCellGradient = null;
        return p;
    }

    private void ApplyDropout(Tensor y, Tensor mask, Tensor dropped)
    {
        mask.Resize(y.Shape);
        dropped.Resize(y.Shape);
        Span<float> m = mask.Span;
        float scale = 1f / (1f - Dropout);
        for (int i = 0; i < m.Length; i++) m[i] = _dropoutRng.NextFloat() >= Dropout ? scale : 0f;
        TensorPrimitives.Multiply(y.Span, m, dropped.Span);
    }

    private void CheckStateGradient(Tensor? gradient, string name)
    {
        if (gradient is null) return;
        if (!Tensor.SameShape(gradient.Shape, _finalHidden.Shape))
            throw new ArgumentException($"{Name}.Backward expects a final-state gradient shaped like the final states {_finalHidden.ShapeString()}, got {gradient.ShapeString()}.", name);
    }

    private Tensor ZeroGradient(Tensor like)
    {
        _zeroGradient.Resize(like.Shape);
        _zeroGradient.Clear();
        return _zeroGradient;
    }

    private static void ColumnSums(ReadOnlySpan<float> values, int rows, int columns, Span<float> sums)
    {
        sums.Clear();
        for (int r = 0; r < rows; r++)
            TensorPrimitives.Add(sums, values.Slice(r * columns, columns), sums);
    }

    private static Tensor[] NewTensors(int count, int rank)
    {
        var tensors = new Tensor[count];
        for (int i = 0; i < count; i++) tensors[i] = new Tensor(new int[rank]);
        return tensors;
    }

    private ArgumentException ShapeError(string got) =>
        new($"{GetType().Name} expects (N, T, {InputSize}) input (batch, time, features), got {got}.");
}
