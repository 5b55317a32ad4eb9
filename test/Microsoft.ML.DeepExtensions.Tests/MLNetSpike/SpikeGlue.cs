using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Tests.MLNetSpike;

// SPIKE (see docs/design/mlnet-chain.md): the only non-built-in links of the scoring chain. ML.NET has no built-in
// transform that turns a vector column of size 1 into a scalar column, and OnnxTransformer cannot produce scalar
// columns (rank-0 outputs fail), so these stateless CustomMapping factories unwrap the [N, 1] ONNX outputs.
// A saved model records only the contract name and this assembly's name; ML.NET calls Assembly.Load on it at
// Model.Load time, so the assembly must be resolvable (not registered) in the loading process.
// In the product they move to the library assembly, with versioned contract names.

/// <summary>ONNX outputs of a binary classifier, each vector&lt;T, 1&gt; (OnnxTransformer's view of [N, 1]).</summary>
public sealed class BinaryVectors
{
    /// <summary>Raw score (logit).</summary>
    public float[] Score { get; set; } = [];

    /// <summary>sigmoid(Score).</summary>
    public float[] Probability { get; set; } = [];

    /// <summary>Score &gt; 0.</summary>
    public bool[] PredictedLabel { get; set; } = [];
}

/// <summary>ML.NET's binary-classification contract: scalar Score, Probability, PredictedLabel.</summary>
public sealed class BinaryScalars
{
    /// <summary>Raw score (logit).</summary>
    public float Score { get; set; }

    /// <summary>sigmoid(Score).</summary>
    public float Probability { get; set; }

    /// <summary>Score &gt; 0.</summary>
    public bool PredictedLabel { get; set; }
}

/// <summary>Unwraps the three binary outputs (stateless).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class UnwrapBinaryFactory : CustomMappingFactory<BinaryVectors, BinaryScalars>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DeepExtensionsSpike.UnwrapBinary.v1";

    /// <summary>The mapping.</summary>
    public static void Map(BinaryVectors src, BinaryScalars dst)
    {
        dst.Score = src.Score[0];
        dst.Probability = src.Probability[0];
        dst.PredictedLabel = src.PredictedLabel[0];
    }

    /// <inheritdoc />
    public override Action<BinaryVectors, BinaryScalars> GetMapping() => Map;
}

/// <summary>ONNX "Score" output of a regressor, vector&lt;Single, 1&gt;.</summary>
public sealed class ScoreVector
{
    /// <summary>The prediction.</summary>
    public float[] Score { get; set; } = [];
}

/// <summary>ML.NET's regression contract: scalar Score.</summary>
public sealed class ScoreScalar
{
    /// <summary>The prediction.</summary>
    public float Score { get; set; }
}

/// <summary>Unwraps the regression Score (stateless).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class UnwrapScoreFactory : CustomMappingFactory<ScoreVector, ScoreScalar>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DeepExtensionsSpike.UnwrapScore.v1";

    /// <summary>The mapping.</summary>
    public static void Map(ScoreVector src, ScoreScalar dst) => dst.Score = src.Score[0];

    /// <inheritdoc />
    public override Action<ScoreVector, ScoreScalar> GetMapping() => Map;
}

/// <summary>ONNX "PredictedLabel" output of a multiclass classifier: the label text, vector&lt;Text, 1&gt;.</summary>
public sealed class LabelTextVector
{
    /// <summary>The predicted label's text.</summary>
    public ReadOnlyMemory<char>[] PredictedLabel { get; set; } = [];
}

/// <summary>The predicted label's text as a scalar column (MapValueToKey then turns it into the key).</summary>
public sealed class LabelTextScalar
{
    /// <summary>The predicted label's text.</summary>
    public ReadOnlyMemory<char> PredictedLabel { get; set; }
}

/// <summary>Unwraps the multiclass predicted label text (stateless).</summary>
[CustomMappingFactoryAttribute(ContractName)]
public sealed class UnwrapLabelTextFactory : CustomMappingFactory<LabelTextVector, LabelTextScalar>
{
    /// <summary>The contract name saved in the model.</summary>
    public const string ContractName = "DeepExtensionsSpike.UnwrapLabelText.v1";

    /// <summary>The mapping.</summary>
    public static void Map(LabelTextVector src, LabelTextScalar dst) => dst.PredictedLabel = src.PredictedLabel[0];

    /// <inheritdoc />
    public override Action<LabelTextVector, LabelTextScalar> GetMapping() => Map;
}
