namespace Microsoft.ML.DeepExtensions.Scoring;

/// <summary>The ML.NET task whose output contract a scoring chain produces.</summary>
internal enum PredictionKind
{
    /// <summary><c>Score</c>, <c>Probability</c> (Single), <c>PredictedLabel</c> (Boolean).</summary>
    BinaryClassification,

    /// <summary><c>Score</c> (vector of Single, one per class), <c>PredictedLabel</c> (the label's key type).</summary>
    MulticlassClassification,

    /// <summary><c>Score</c> (Single).</summary>
    Regression,
}
