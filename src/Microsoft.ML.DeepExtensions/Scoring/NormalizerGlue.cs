using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.DeepExtensions.Scoring;

// The finiteness check of a saved normalizer (Standardize, ScaleMinMax). ONNX graphs cannot raise errors, so the check
// runs in this stateless CustomMapping just before ML.NET's OnnxTransformer: it reads the normalizer's input (copied
// into the fixed-name column NormalizerColumns.Input) and writes a Single (always 0) that the ONNX graph takes as a
// second, unused input. OnnxTransformer fetches every input of a row before running the graph, so the check runs for
// every row it scores, and no value reaches the graph unchecked. Being stateless and tied to fixed column names, it
// cannot name the user's column or the row (a fitted, not yet saved normalizer adds both; see NonFiniteInputGuard).
// A saved model records only the contract name and this assembly's name. A contract never changes once shipped.

/// <summary>The temporary column names of a normalizer's scoring chain. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class NormalizerColumns
{
    /// <summary>The copy of the normalizer's input column that the ONNX graph reads.</summary>
    public const string Input = "dx.NormalizerInput";

    /// <summary>The check's output, a Single (0) read by the ONNX graph so that the check runs.</summary>
    public const string Checked = "dx.NormalizerInputChecked";
}

/// <summary>The normalizer's input as the check reads it. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NormalizerInputValues
{
    /// <summary>The values of one row.</summary>
    [ColumnName(NormalizerColumns.Input)]
    public float[] Values { get; set; } = [];
}

/// <summary>The check's output. Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class NormalizerInputChecked
{
    /// <summary>Always 0.</summary>
    [ColumnName(NormalizerColumns.Checked)]
    public float Checked { get; set; }
}

/// <summary>Throws on a NaN or infinite input of a saved normalizer (stateless). Infrastructure of saved models.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[CustomMappingFactoryAttribute(ContractName)]
public sealed class CheckFiniteNormalizerInput : CustomMappingFactory<NormalizerInputValues, NormalizerInputChecked>
{
    /// <summary>The contract name saved in models.</summary>
    public const string ContractName = "Microsoft.ML.DeepExtensions.CheckFiniteNormalizerInput.v1";

    /// <summary>Checks every value; writes 0.</summary>
    /// <exception cref="InvalidOperationException">A value is NaN or infinite (the message names the slot).</exception>
    public static void Map(NormalizerInputValues source, NormalizerInputChecked destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var values = source.Values;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i])) continue;
            string value = float.IsNaN(values[i]) ? "NaN (a missing value)" : values[i] > 0 ? "+infinity" : "-infinity";
            throw new InvalidOperationException(
                $"A normalizer of Microsoft.ML.DeepExtensions (Standardize or ScaleMinMax) received {value} in slot {i} of its input column. " +
                "Normalizers reject non-finite values: replace missing values (mlContext.Transforms.ReplaceMissingValues) or filter such rows " +
                "(mlContext.Data.FilterRowsByMissingValues) before scoring. (This check runs inside a saved model, which does not know the column's name or the row.)");
        }
        destination.Checked = 0;
    }

    /// <inheritdoc />
    public override Action<NormalizerInputValues, NormalizerInputChecked> GetMapping() => Map;
}
