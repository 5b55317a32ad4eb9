namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// The parameters of one layer and direction of a <see cref="RecurrentLayer"/>, in PyTorch's layouts:
/// <c>weight_ih_l{k}[_reverse]</c> <c>[G·H, H_in]</c>, <c>weight_hh_l{k}[_reverse]</c> <c>[G·H, H]</c>,
/// <c>bias_ih_l{k}[_reverse]</c> and <c>bias_hh_l{k}[_reverse]</c> <c>[G·H]</c>, with <c>G</c> gate blocks stacked
/// in the cell's gate order (LSTM <c>i, f, g, o</c>; GRU <c>r, z, n</c>; RNN one block).
/// </summary>
/// <param name="WeightIh">The input-to-hidden weight <c>[G·H, H_in]</c> (<c>H_in</c> = input size for layer 0, <c>H·directions</c> above).</param>
/// <param name="WeightHh">The hidden-to-hidden weight <c>[G·H, H]</c>.</param>
/// <param name="BiasIh">The input-to-hidden bias <c>[G·H]</c>, or null when the layer has no biases.</param>
/// <param name="BiasHh">The hidden-to-hidden bias <c>[G·H]</c>, or null when the layer has no biases.</param>
public sealed record RecurrentWeights(Parameter WeightIh, Parameter WeightHh, Parameter? BiasIh, Parameter? BiasHh);
