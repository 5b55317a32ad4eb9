using System.ComponentModel;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Scoring;

// The only links of a saved scoring chain that are not ML.NET built-ins. ML.NET has no built-in transform that turns
// a size-1 vector column into a scalar column, and OnnxTransformer cannot produce scalar columns (rank-0 outputs fail,
// DESIGN.md), so these stateless CustomMapping factories unwrap the [N, 1] ONNX outputs. A saved model records only
// the contract name and this assembly's name; ML.NET loads the assembly by name at Model.Load time, so a process that
// loads the model needs Microsoft.ML.DeepExtensions as a package or project reference (no registration call).
// A contract never changes once shipped: a new behaviour gets a new ".vN" name.
// See docs/design/mlnet-chain.md.

/// <summary>Binary-classification outputs of the ONNX graph, each a size-1 vector. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryOnnxOutputs
{
    /// <summary>The logit.</summary>
    public float[] Score { get; set; } = [];

    /// <summary>sigmoid(Score).</summary>
    public float[] Probability { get; set; } = [];

    /// <summary>Score &gt; 0.</summary>
    public bool[] PredictedLabel { get; set; } = [];
}

/// <summary>ML.NET's binary-classification output contract. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BinaryScoreColumns
{
    /// <summary>The raw score (logit).</summary>
    public float Score { get; set; }

    /// <summary>The probability of the positive class.</summary>
    public float Probability { get; set; }

    /// <summary>The predicted class.</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>Unwraps the binary outputs (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class UnwrapBinaryScores : CustomMappingFactory<BinaryOnnxOutputs, BinaryScoreColumns>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.UnwrapBinaryScores.v1";

    /// <summary>Copies element 0 of each vector.</summary>
    public static void Map(BinaryOnnxOutputs source, BinaryScoreColumns destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        destination.Score = source.Score[0];
        destination.Probability = source.Probability[0];
        destination.PredictedLabel = source.PredictedLabel[0];
    }

    /// <inheritdoc />
    public override Action<BinaryOnnxOutputs, BinaryScoreColumns> GetMapping() => Map;
}

/// <summary>The regression output of the ONNX graph, a size-1 vector. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionOnnxOutputs
{
    /// <summary>The prediction.</summary>
    public float[] Score { get; set; } = [];
}

/// <summary>ML.NET's regression output contract. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class RegressionScoreColumns
{
    /// <summary>The prediction.</summary>
    public float Score { get; set; }
}

/// <summary>Unwraps the regression score (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class UnwrapRegressionScore : CustomMappingFactory<RegressionOnnxOutputs, RegressionScoreColumns>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.UnwrapRegressionScore.v1";

    /// <summary>Copies element 0.</summary>
    public static void Map(RegressionOnnxOutputs source, RegressionScoreColumns destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        destination.Score = source.Score[0];
    }

    /// <inheritdoc />
    public override Action<RegressionOnnxOutputs, RegressionScoreColumns> GetMapping() => Map;
}

/// <summary>The multiclass predicted class index of the ONNX graph, a size-1 vector. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassIndexOnnxOutput
{
    /// <summary>The 0-based class index.</summary>
    public long[] PredictedLabel { get; set; } = [];
}

/// <summary>The predicted class index as a scalar (then mapped to the label's key by built-ins). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ClassIndexColumn
{
    /// <summary>The 0-based class index.</summary>
    public uint PredictedLabel { get; set; }
}

/// <summary>Unwraps the multiclass class index (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class UnwrapClassIndex : CustomMappingFactory<ClassIndexOnnxOutput, ClassIndexColumn>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.UnwrapClassIndex.v1";

    /// <summary>Copies element 0.</summary>
    public static void Map(ClassIndexOnnxOutput source, ClassIndexColumn destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        destination.PredictedLabel = checked((uint)source.PredictedLabel[0]);
    }

    /// <inheritdoc />
    public override Action<ClassIndexOnnxOutput, ClassIndexColumn> GetMapping() => Map;
}
