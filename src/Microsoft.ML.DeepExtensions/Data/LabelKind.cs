namespace Microsoft.ML.DeepExtensions.Data;

/// <summary>How a trainer reads its label column.</summary>
internal enum LabelKind
{
    /// <summary>Boolean label (binary classification): target 1 for true, 0 for false.</summary>
    Boolean,

    /// <summary>Key label (multiclass): key value k (1-based) becomes class index k − 1; the missing key (0) is an error.</summary>
    Key,

    /// <summary>Single label (regression): the value itself; NaN or infinity is an error.</summary>
    Single,
}
