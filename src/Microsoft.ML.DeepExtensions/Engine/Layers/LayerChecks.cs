namespace Microsoft.ML.DeepExtensions.Engine.Layers;

/// <summary>Argument checks and error messages shared by the layers (the layer's <see cref="Layer.Name"/> is only formatted on failure, so checks allocate nothing).</summary>
internal static class LayerChecks
{
    /// <summary>Formats a per-example shape as <c>(N, d1, d2)</c>.</summary>
    public static string Batched(ReadOnlySpan<int> perExampleShape) =>
        perExampleShape.Length == 0 ? "(N)" : "(N, " + string.Join(", ", perExampleShape.ToArray()) + ")";

    /// <summary>Formats a full batched shape as <c>(N, d1, d2)</c> with the actual batch dimension replaced by N.</summary>
    public static string BatchedOf(Tensor t) => t.Rank == 0 ? "a scalar" : Batched(t.Shape[1..]);

    /// <summary>Throws unless <paramref name="input"/> has a batch dimension.</summary>
    public static void RequireBatched(Tensor input, Layer layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank == 0)
            throw new ArgumentException($"{layer.Name} expects a batched input (N, *), got a scalar tensor.", nameof(input));
    }

    /// <summary>Throws unless Forward has run and <paramref name="outputGradient"/> has the last output's shape.</summary>
    public static void RequireGradientLike(Tensor outputGradient, Tensor? lastOutput, Layer layer)
    {
        ArgumentNullException.ThrowIfNull(outputGradient);
        if (lastOutput is null)
            throw new InvalidOperationException($"{layer.Name}.Backward was called before Forward.");
        if (!Tensor.SameShape(outputGradient.Shape, lastOutput.Shape))
            throw new ArgumentException(
                $"{layer.Name}.Backward expects a gradient shaped like its last output {lastOutput.ShapeString()}, got {outputGradient.ShapeString()}.",
                nameof(outputGradient));
    }
}
