namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>The recurrent layer of a sequence trainer; the catalog method picks it (<c>Rnn</c>, <c>Lstm</c>, <c>Gru</c>).</summary>
public enum RecurrentCell
{
    /// <summary>Elman RNN, <c>h' = act(W_ih x + b_ih + W_hh h + b_hh)</c> (PyTorch <c>nn.RNN</c>); see <see cref="Engine.Layers.RNN"/>.</summary>
    Rnn,

    /// <summary>Long short-term memory (Hochreiter &amp; Schmidhuber 1997; PyTorch <c>nn.LSTM</c>); see <see cref="Engine.Layers.LSTM"/>.</summary>
    Lstm,

    /// <summary>Gated recurrent unit (Cho et al. 2014; PyTorch <c>nn.GRU</c>); see <see cref="Engine.Layers.GRU"/>.</summary>
    Gru,
}
