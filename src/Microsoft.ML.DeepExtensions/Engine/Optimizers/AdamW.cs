namespace Microsoft.ML.DeepExtensions.Engine.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov &amp; Hutter 2019; PyTorch <c>torch.optim.AdamW</c> 1.13).
/// </summary>
/// <remarks>
/// <para>Each step first shrinks every parameter, <c>w = w - lr·weight_decay·w</c>, then applies the
/// <see cref="Adam"/> update with no coupled decay. Defaults: lr 1e-3, β1 0.9, β2 0.999, eps 1e-8,
/// weight decay 0.01, no AMSGrad.</para>
/// </remarks>
public sealed class AdamW : Adam
{
    /// <summary>Creates an AdamW optimizer.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="learningRate">The step size; default 1e-3.</param>
    /// <param name="beta1">Decay of the first-moment estimate, in [0, 1); default 0.9.</param>
    /// <param name="beta2">Decay of the second-moment estimate, in [0, 1); default 0.999.</param>
    /// <param name="epsilon">Added to the denominator for stability, finite and ≥ 0; default 1e-8.</param>
    /// <param name="weightDecay">Decoupled weight decay, finite and ≥ 0; default 0.01.</param>
    /// <param name="amsgrad">Use the running maximum of the second moment (AMSGrad); default false.</param>
    /// <exception cref="ArgumentOutOfRangeException">A hyperparameter is outside its range.</exception>
    public AdamW(IEnumerable<Parameter> parameters, float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float epsilon = 1e-8f, float weightDecay = 0.01f, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: true)
    {
    }
}
