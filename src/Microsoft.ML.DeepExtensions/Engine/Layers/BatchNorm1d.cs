using Microsoft.ML.DeepExtensions.Engine.Kernels;

namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>
/// Batch normalization over a 2-D or 3-D input (PyTorch <c>nn.BatchNorm1d</c>; Ioffe &amp; Szegedy, "Batch
/// Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift", ICML 2015):
/// <c>y = (x - E[x]) / √(Var[x] + eps) · γ + β</c>, per channel <c>C</c>.
/// </summary>
/// <remarks>
/// <para><b>Args.</b> <c>numFeatures</c>: <c>C</c>. <c>eps</c>: added to the variance, default 1e-5.
/// <c>momentum</c>: running-statistics update factor, default 0.1. <c>affine</c>: learn γ and β, default true.</para>
/// <para><b>Shape.</b> Input <c>(N, C)</c> or <c>(N, C, L)</c>; output the same shape. Statistics are taken over
/// the <c>N·L</c> values of each channel.</para>
/// <para><b>Attributes.</b> <c>weight</c> γ <c>[C]</c>, initialized to 1; <c>bias</c> β <c>[C]</c>, initialized to 0
/// (both exempt from L1/L2 penalties: <see cref="Parameter.IsWeight"/> is false). Buffers <see cref="BatchNormBase.RunningMean"/>
/// <c>[C]</c> (init 0) and <see cref="BatchNormBase.RunningVar"/> <c>[C]</c> (init 1).</para>
/// <para><b>Training mode</b> normalizes with the batch mean and the <b>biased</b> batch variance (divided by
/// <c>N·L</c>), then updates the running statistics with the <b>unbiased</b> variance (divided by <c>N·L - 1</c>):
/// <c>running = (1 - momentum)·running + momentum·batch</c>, exactly as PyTorch. <b>Inference mode</b> normalizes
/// with the running statistics and leaves them unchanged. Statistics are accumulated in float64 (two-pass).</para>
/// <para><b>Gradient.</b> In training mode, with <c>x̂ = (x - μ)/σ</c> and <c>M = N·L</c>:
/// <c>dβ = Σ dy</c>, <c>dγ = Σ dy·x̂</c>, <c>dx = γ/σ · (dy - dβ/M - x̂·dγ/M)</c>. After an inference-mode
/// forward the statistics are constants: <c>dx = γ/σ_running · dy</c>.</para>
/// <para><b>ONNX.</b> Exported for inference as <c>BatchNormalization</c> with the running statistics and
/// <c>epsilon = eps</c>; initializers are named after the parameters (<c>1.weight</c>, <c>1.bias</c>,
/// <c>1.running_mean</c>, <c>1.running_var</c>). Without <c>affine</c>, γ = 1 and β = 0 are stored.</para>
/// </remarks>
public sealed class BatchNorm1d : BatchNormBase
{
    /// <summary>Creates a batch-normalization layer.</summary>
    /// <param name="numFeatures">Number of channels <c>C</c> (≥ 1).</param>
    /// <param name="eps">Added to the variance for stability (&gt; 0). Default 1e-5.</param>
    /// <param name="momentum">Weight of the batch statistic in the running average, in [0, 1]. Default 0.1.</param>
    /// <param name="affine">Learn a per-channel scale γ and shift β. Default true.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public BatchNorm1d(int numFeatures, double eps = 1e-5, double momentum = 0.1, bool affine = true)
        : base(numFeatures, eps, momentum, affine)
    {
    }

    /// <inheritdoc />
    public override string Name => $"BatchNorm1d({NumFeatures})";

    private protected override bool AcceptsRank(int rank) => rank is 1 or 2;

    private protected override string ExpectedShape => $"(N, {NumFeatures}) or (N, {NumFeatures}, L)";
}
