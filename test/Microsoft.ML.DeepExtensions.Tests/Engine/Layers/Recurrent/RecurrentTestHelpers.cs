using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers.Recurrent;

/// <summary>Shared pieces of the recurrent layer tests: fixture replay, a test-only wrapper exposing final states.</summary>
internal static class RecurrentTestHelpers
{
    /// <summary>
    /// Loads a PyTorch fixture (lstm_* / gru_*), copies its weights into a fresh layer, runs Forward and the
    /// three-gradient Backward, and compares output, final states and every gradient (1e-4 relative).
    /// </summary>
    public static void ReplayFixture(string name, Func<int, int, int, bool, RecurrentLayer> create)
    {
        var f = Fixture.Load(name);
        Tensor x = f.Tensor("x"), hn = f.Tensor("h_n");
        int layers = (int)f.Number("num_layers");
        bool bidirectional = f["bidirectional"].GetBoolean();
        f["batch_first"].GetBoolean().Should().BeTrue();
        RecurrentLayer layer = create(x.Dim(2), hn.Dim(2), layers, bidirectional);
        foreach (var p in layer.Parameters)
            f.Tensor(p.Name).Span.CopyTo(p.Value.Span);
        layer.Parameters.Count.Should().Be(layers * (bidirectional ? 2 : 1) * 4, "every fixture weight is a layer parameter");

        const double rel = TensorAssert.ReductionRelative, abs = TensorAssert.ReductionAbsolute;
        Tensor y = layer.Forward(x, training: true);
        TensorAssert.Close(y, f.Tensor("output"), rel, abs, $"{name} output");
        TensorAssert.Close(layer.FinalHiddenState, hn, rel, abs, $"{name} h_n");
        bool hasCell = f.Has("c_n");
        if (hasCell) TensorAssert.Close(((LSTM)layer).FinalCellState, f.Tensor("c_n"), rel, abs, $"{name} c_n");

        Tensor dx = layer.Backward(f.Tensor("upstream_output"), f.Tensor("upstream_h_n"), hasCell ? f.Tensor("upstream_c_n") : null)!;
        TensorAssert.Close(dx, f.Tensor("grad_x"), rel, abs, $"{name} grad_x");
        foreach (var p in layer.Parameters)
            TensorAssert.Close(p.Gradient, f.Tensor("grad_" + p.Name), rel, abs, $"{name} grad_{p.Name}");
    }

    /// <summary>Lengths as a fresh <see cref="SequenceLengths"/>.</summary>
    public static SequenceLengths Lengths(params int[] values)
    {
        var lengths = new SequenceLengths();
        lengths.Set(values);
        return lengths;
    }

    /// <summary>Asserts that every padded step (t ≥ length) of a (N, T, C) tensor is exactly zero.</summary>
    public static void PaddingIsZero(Tensor y, ReadOnlySpan<int> lengths, string what)
    {
        int n = y.Dim(0), steps = y.Dim(1), c = y.Dim(2);
        for (int b = 0; b < n; b++)
            for (int t = lengths[b]; t < steps; t++)
                for (int j = 0; j < c; j++)
                    if (y[(b * steps + t) * c + j] != 0f)
                        throw new AssertFailedException($"{what}: padded step (n={b}, t={t}) holds {y[(b * steps + t) * c + j]} at channel {j}.");
    }
}

/// <summary>
/// Test-only view of a recurrent layer as one batch-first output: per example, the flattened output sequence followed by
/// that example's rows of h_n (and c_n for LSTM). Its Backward splits the gradient and calls the layer's three-gradient
/// Backward, so <see cref="GradientCheck"/> covers the final-state entry too.
/// </summary>
internal sealed class FinalStatesView : Layer
{
    private readonly RecurrentLayer _inner;
    private readonly Tensor _output = new(0, 0), _dOut = new(0, 0, 0), _dHn = new(0, 0, 0), _dCn = new(0, 0, 0);

    public FinalStatesView(RecurrentLayer inner) => _inner = inner;

    private bool HasCell => _inner is LSTM;

    private int StateRows => _inner.NumLayers * _inner.Directions;

    public override IReadOnlyList<Parameter> Parameters => _inner.Parameters;

    public override string Name => $"FinalStatesView({_inner.Name})";

    public override int[] GetOutputShape(ReadOnlySpan<int> inputShape) => throw new NotSupportedException();

    public override Tensor Forward(Tensor input, bool training)
    {
        Tensor y = _inner.Forward(input, training);
        int n = y.Dim(0), seq = y.RowLength, h = _inner.HiddenSize, states = StateRows * h * (HasCell ? 2 : 1);
        _output.Resize(n, seq + states);
        for (int b = 0; b < n; b++)
        {
            Span<float> row = _output.Span.Slice(b * (seq + states), seq + states);
            y.Span.Slice(b * seq, seq).CopyTo(row);
            for (int s = 0; s < StateRows; s++)
            {
                _inner.FinalHiddenState.Span.Slice((s * n + b) * h, h).CopyTo(row.Slice(seq + s * h, h));
                if (HasCell) ((LSTM)_inner).FinalCellState.Span.Slice((s * n + b) * h, h).CopyTo(row.Slice(seq + (StateRows + s) * h, h));
            }
        }
        return _output;
    }

    public override Tensor? Backward(Tensor outputGradient)
    {
        int n = _output.Dim(0), h = _inner.HiddenSize, total = _output.Dim(1), seq = total - StateRows * h * (HasCell ? 2 : 1);
        Tensor last = _inner.FinalHiddenState;
        _dHn.Resize(last.Shape);
        _dCn.Resize(last.Shape);
        _dOut.Resize(n, seq / (_inner.Directions * h), _inner.Directions * h);
        for (int b = 0; b < n; b++)
        {
            ReadOnlySpan<float> row = outputGradient.Span.Slice(b * total, total);
            row[..seq].CopyTo(_dOut.Span.Slice(b * seq, seq));
            for (int s = 0; s < StateRows; s++)
            {
                row.Slice(seq + s * h, h).CopyTo(_dHn.Span.Slice((s * n + b) * h, h));
                if (HasCell) row.Slice(seq + (StateRows + s) * h, h).CopyTo(_dCn.Span.Slice((s * n + b) * h, h));
            }
        }
        _inner.ComputeInputGradient = ComputeInputGradient;
        return _inner.Backward(_dOut, _dHn, HasCell ? _dCn : null);
    }
}
