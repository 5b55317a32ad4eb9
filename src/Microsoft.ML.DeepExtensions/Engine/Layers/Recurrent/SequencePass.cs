namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// The buffers and sizes of one layer and direction handed by <see cref="RecurrentLayer"/> to its cell's time loop
/// (one reusable instance per layer, so passing it allocates nothing).
/// </summary>
/// <remarks>
/// Row <c>(n, t)</c> of every <c>(N, T, ·)</c> buffer is at flat row index <c>n·T + t</c>. The time loop of a
/// direction visits <c>t = 0 .. T-1</c> (forward) or <c>T-1 .. 0</c> (<see cref="Reverse"/>); steps <c>t ≥ lengths[n]</c>
/// are padding: they leave the state alone, write zeros to the output, and get zero gradients.
/// </remarks>
internal sealed class SequencePass
{
    public int Batch, Steps, Hidden;
    public bool Reverse;
    public int[] Lengths = [];

    /// <summary>(N, T, G·H): the input projection plus biases in, the gate values out (kept for backward).</summary>
    public Tensor Gates = null!;

    /// <summary>(N, T, H): the hidden state each step starts from (zeros at a sequence's first step).</summary>
    public Tensor HiddenPrevious = null!;

    /// <summary>(N, T, H): LSTM cell states; GRU candidate terms <c>h·W_hnᵀ + b_hn</c>; unused by RNN.</summary>
    public Tensor? Cell;

    /// <summary>The layer output (N, T, dirs·H); this direction's columns start at <see cref="OutputOffset"/>, rows are <see cref="OutputRowStride"/> apart.</summary>
    public Tensor Output = null!;
    public int OutputRowStride, OutputOffset;

    public Tensor WeightHh = null!;

    /// <summary>
    /// Forward only: <c>W_hhᵀ</c> <c>[H, G·H]</c>, so that each step's product <c>h·W_hhᵀ</c> reads an untransposed
    /// matrix (no transposition per step; one example reads it in place).
    /// </summary>
    public Tensor WeightHhTransposed = null!;

    /// <summary>The GRU's <c>b_hn</c> block (H), or null.</summary>
    public Tensor? NewGateBias;

    /// <summary>(N, G·H) per-step work space (the GRU's recurrent product).</summary>
    public Tensor StepScratch = null!;

    /// <summary>Row work space (at least 2·H).</summary>
    public Tensor RowScratch = null!;

    // Backward.
    /// <summary>dL/dOutput (N, T, dirs·H), same layout as <see cref="Output"/>.</summary>
    public Tensor OutputGradient = null!;

    /// <summary>dL/dh_n for this layer and direction: (N, H) values starting at <see cref="FinalGradientOffset"/>, or null.</summary>
    public Tensor? FinalHiddenGradient, FinalCellGradient;
    public int FinalGradientOffset;

    /// <summary>(N, T, G·H): dL/d(input pre-activations). For LSTM and RNN also the recurrent ones.</summary>
    public Tensor GatesGradient = null!;

    /// <summary>(N, T, G·H): dL/d(h·W_hhᵀ + b_hh); the same object as <see cref="GatesGradient"/> except for GRU.</summary>
    public Tensor RecurrentGatesGradient = null!;

    /// <summary>(N, H) carries between steps: dL/dh from the step after, dL/dc (LSTM). Zero at the start.</summary>
    public Tensor HiddenCarry = null!, CellCarry = null!;

    public ReadOnlySpan<float> FinalHiddenGradientRows =>
        FinalHiddenGradient is null ? default : FinalHiddenGradient.Span.Slice(FinalGradientOffset, Batch * Hidden);

    public ReadOnlySpan<float> FinalCellGradientRows =>
        FinalCellGradient is null ? default : FinalCellGradient.Span.Slice(FinalGradientOffset, Batch * Hidden);

    /// <summary>The step whose output is this direction's final state h_n for a sequence of <paramref name="length"/> ≥ 1.</summary>
    public int FinalStep(int length) => Reverse ? 0 : length - 1;
}
