namespace Microsoft.ML.DeepExtensions.Engine.Losses;

/// <summary>
/// A loss function: a scalar <c>L(prediction, target)</c> averaged over the batch, and its gradient
/// with respect to the prediction.
/// </summary>
/// <remarks>
/// <para><b>Reduction.</b> With per-example weights <c>w_i</c> (all 1 when none are given) the loss is the
/// weighted mean <c>Σ w_i·l_i / Σ w_i</c> (PyTorch's <c>reduction='mean'</c> with class weights).</para>
/// <para><b>Targets</b> are float tensors: class indices (as exact integers) for classification losses,
/// values of the prediction's shape for regression losses. Each loss documents its shapes.</para>
/// </remarks>
public abstract class Loss
{
    /// <summary>Computes the loss for a batch and remembers what <see cref="Backward"/> needs.</summary>
    /// <param name="prediction">The network output, batch first.</param>
    /// <param name="target">The targets, batch first (shape documented by each loss).</param>
    /// <param name="sampleWeight">Optional per-example weights, shape <c>(N)</c>, each ≥ 0.</param>
    /// <returns>The weighted mean loss.</returns>
    /// <exception cref="ArgumentException">Shapes disagree, or a class index is out of range.</exception>
    public abstract float Forward(Tensor prediction, Tensor target, Tensor? sampleWeight = null);

    /// <summary>dLoss/dPrediction for the last <see cref="Forward"/> call, shape of the prediction; owned by the loss.</summary>
    public abstract Tensor Backward();

    /// <summary>The display name (PyTorch's class name by default).</summary>
    public virtual string Name => GetType().Name;
}
