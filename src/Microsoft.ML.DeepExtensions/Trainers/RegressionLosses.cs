using Microsoft.ML.DeepExtensions.Engine.Losses;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>The regression loss of a neural regressor (PyTorch names).</summary>
public enum RegressionLossKind
{
    /// <summary>Mean squared error. The default.</summary>
    MSE,

    /// <summary>Mean absolute error (L1).</summary>
    L1,

    /// <summary>Huber loss with <c>HuberDelta</c> (robust to outliers).</summary>
    Huber,
}

/// <summary>Creates the engine loss for a <see cref="RegressionLossKind"/>.</summary>
internal static class RegressionLosses
{
    public static Loss Create(RegressionLossKind kind, float huberDelta) => kind switch
    {
        RegressionLossKind.MSE => new MSELoss(),
        RegressionLossKind.L1 => new L1Loss(),
        RegressionLossKind.Huber => new HuberLoss(huberDelta),
        _ => throw new ArgumentOutOfRangeException("LossFunction", kind, "Unknown regression loss."),
    };
}
