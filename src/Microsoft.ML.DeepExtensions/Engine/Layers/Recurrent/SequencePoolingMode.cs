namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>How <see cref="SequencePooling"/> reduces a sequence <c>(N, T, C)</c> to <c>(N, C)</c>.</summary>
public enum SequencePoolingMode
{
    /// <summary>
    /// The output at the last valid step <c>lengths[n] - 1</c>; for a bidirectional recurrent output, the forward half
    /// at the last valid step and the reverse half at step 0, i.e. the last layer's <c>h_n</c> of both directions
    /// concatenated. Zeros for an empty sequence.
    /// </summary>
    Last,

    /// <summary>The mean over the valid steps <c>0 .. lengths[n] - 1</c>; zeros for an empty sequence.</summary>
    Mean,
}
