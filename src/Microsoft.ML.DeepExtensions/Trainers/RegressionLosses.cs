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
    /// <summary>The loss, wrapped so that it optimizes the standardized target (see <see cref="LabelScaledLoss"/>).</summary>
    public static Loss Create(RegressionLossKind kind, float huberDelta) => kind switch
    {
        RegressionLossKind.MSE => new LabelScaledLoss(new MSELoss(), power: 2),
        RegressionLossKind.L1 => new LabelScaledLoss(new L1Loss(), power: 1),
        RegressionLossKind.Huber => new LabelScaledLoss(new HuberLoss(huberDelta), power: 2),
        _ => throw new ArgumentOutOfRangeException("LossFunction", kind, "Unknown regression loss."),
    };
}
