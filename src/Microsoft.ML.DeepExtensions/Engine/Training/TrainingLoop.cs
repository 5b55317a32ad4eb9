using System.Diagnostics;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Engine.Schedules;

namespace Microsoft.ML.DeepExtensions.Engine.Training;

/// <summary>
/// The engine's training loop, shared by every trainer (Keras <c>Model.fit</c>): epochs of seeded, shuffled
/// mini-batches; forward, loss, backward, optional gradient clipping, optimizer step; per-epoch metrics and
/// validation; learning-rate schedules; early stopping with best-weight restore; cancellation and a time
/// budget; and a guard that stops with <see cref="TrainingDivergedException"/> before a non-finite loss or
/// gradient can reach the weights.
/// </summary>
/// <remarks>
/// Each step: <c>ŷ = network.Forward(x, training: true)</c>; <c>L = loss.Forward(ŷ, y, w)</c> (stop if not finite);
/// <c>network.Backward(dL/dŷ)</c>; global gradient norm (stop if not finite); clip; <c>optimizer.Step()</c>.
/// The loop allocates nothing per step: the batch, the layers' activations and gradients and the optimizer
/// state are reused.
/// </remarks>
public static class TrainingLoop
{
    /// <summary>Trains <paramref name="network"/> in place.</summary>
    /// <param name="network">The network, already initialized.</param>
    /// <param name="loss">The loss on the network's output.</param>
    /// <param name="optimizer">The optimizer over the network's parameters; its learning rate when Fit is called is the base learning rate of the schedule.</param>
    /// <param name="train">The training data.</param>
    /// <param name="options">Epochs, batch size, schedule, early stopping and the other settings.</param>
    /// <param name="validation">Optional validation data, evaluated in inference mode after each epoch.</param>
    /// <returns>The per-epoch history.</returns>
    /// <exception cref="TrainingDivergedException">The loss or a gradient became NaN or infinite.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled.</exception>
    /// <exception cref="ArgumentException">The options are invalid, or the data's shapes do not fit the network.</exception>
    public static TrainingHistory Fit(Layer network, Loss loss, Optimizer optimizer, IBatchSource train, TrainingOptions options, IBatchSource? validation = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        network.GetOutputShape(train.FeatureShape); // throws a clear error when the data does not fit
        if (validation is not null && !validation.FeatureShape.SequenceEqual(train.FeatureShape))
            throw new ArgumentException($"The validation features have shape [{string.Join(", ", validation.FeatureShape.ToArray())}], the training features [{string.Join(", ", train.FeatureShape.ToArray())}].", nameof(validation));

        network.ComputeInputGradient = false; // nothing upstream of the network needs dLoss/dInput
        var parameters = network.Parameters;
        var schedule = options.Schedule;
        schedule?.Reset();
        float baseLearningRate = optimizer.LearningRate;
        var early = options.EarlyStopping;
        var metric = options.Metric;
        var shuffleRoot = new Rng(options.Seed);
        var batch = new Batch();
        var history = new List<EpochMetrics>();
        var clock = Stopwatch.StartNew();
        var stopReason = StopReason.Completed;

        WeightSnapshot? best = early is { RestoreBestWeights: true } ? new WeightSnapshot(network) : null;
        double bestValue = double.NaN;
        int bestEpoch = 0, epochsWithoutImprovement = 0;
        bool higherIsBetter = false;
        int step = 0;
        double firstLoss = double.NaN;

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            if (schedule is { Interval: ScheduleInterval.Epoch })
                optimizer.LearningRate = schedule.GetLearningRate(epoch - 1, baseLearningRate);
            metric?.Reset();
            double lossSum = 0, weightSum = 0;
            int batchIndex = 0;
            bool outOfTime = false;

            using (var cursor = train.OpenCursor(options.BatchSize, options.Shuffle ? shuffleRoot.Fork((ulong)epoch) : null))
            {
                while (cursor.MoveNext(batch))
                {
                    options.CancellationToken.ThrowIfCancellationRequested();
                    batchIndex++;
                    if (schedule is { Interval: ScheduleInterval.Step })
                        optimizer.LearningRate = schedule.GetLearningRate(step, baseLearningRate);

                    options.Augmenter?.Augment(batch, epoch);
                    SetLengths(options.SequenceLengths, batch);
                    Tensor output = network.Forward(batch.Features, training: true);
                    float batchLoss = loss.Forward(output, batch.Targets, batch.WeightsOrNull);
                    if (!float.IsFinite(batchLoss))
                        throw new TrainingDivergedException(epoch, batchIndex, $"the loss is {batchLoss}");
                    if (double.IsNaN(firstLoss)) firstLoss = batchLoss;
                    else if (options.DivergenceFactor is double factor && batchLoss > factor * Math.Max(1.0, firstLoss))
                        throw new TrainingDivergedException(epoch, batchIndex,
                            $"the loss is {batchLoss:G4}, more than {factor:G3} times the first batch's loss ({firstLoss:G4})");
                    metric?.Update(output, batch.Targets, batch.WeightsOrNull);
                    network.Backward(loss.Backward());

                    double norm = options.ClipGradientNorm is float maxNorm
                        ? GradientClipping.ClipByGlobalNorm(parameters, maxNorm)
                        : GradientClipping.GlobalNorm(parameters);
                    if (!double.IsFinite(norm))
                        throw new TrainingDivergedException(epoch, batchIndex, $"the gradient norm is {norm}");
                    if (options.ClipGradientValue is float clip)
                        GradientClipping.ClipByValue(parameters, clip);
                    optimizer.Step();
                    step++;

                    double bw = BatchWeight(batch);
                    lossSum += batchLoss * bw;
                    weightSum += bw;
                    if (options.TimeBudget is TimeSpan budget && clock.Elapsed >= budget)
                    {
                        outOfTime = true;
                        break;
                    }
                }
            }
            if (batchIndex == 0)
                throw new ArgumentException("The training data has no examples.", nameof(train));

            double? trainMetric = metric?.Result;
            double? validationLoss = null, validationMetric = null;
            if (validation is not null)
                (validationLoss, validationMetric) = Evaluate(network, loss, validation, options.BatchSize, metric, batch, options.SequenceLengths);
            var m = new EpochMetrics(epoch, lossSum / weightSum, trainMetric, validationLoss, validationMetric,
                optimizer.LearningRate, epochClock.Elapsed, metric?.Name);
            history.Add(m);
            schedule?.OnEpochEnd(epoch - 1, m.ValidationLoss ?? m.Loss);
            options.OnEpochEnd?.Invoke(m);

            if (early is not null)
            {
                double value = Monitored(early.Monitor, m, metric);
                if (epoch == 1)
                    higherIsBetter = early.Mode == MonitorMode.Max
                        || (early.Mode == MonitorMode.Auto && IsMetric(early.Monitor) && metric!.HigherIsBetter);
                bool improved = epoch == 1 || (higherIsBetter ? value > bestValue + early.MinDelta : value < bestValue - early.MinDelta);
                if (improved)
                {
                    bestValue = value;
                    bestEpoch = epoch;
                    epochsWithoutImprovement = 0;
                    best?.Capture();
                }
                else if (++epochsWithoutImprovement >= Math.Max(1, early.Patience))
                {
                    stopReason = StopReason.EarlyStopping;
                    break;
                }
            }

            if (outOfTime)
            {
                stopReason = StopReason.TimeBudget;
                break;
            }
        }

        bool restored = false;
        if (best is not null && bestEpoch != history[^1].Epoch)
        {
            best.Restore();
            restored = true;
        }
        return new TrainingHistory(history, stopReason, early is null ? null : bestEpoch, restored);
    }

    /// <summary>Computes the weighted mean loss (and the metric) of <paramref name="network"/> on <paramref name="data"/> in inference mode.</summary>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="data">The examples, read in order.</param>
    /// <param name="batchSize">Examples per forward pass.</param>
    /// <param name="metric">An optional metric, reset and filled by this call.</param>
    /// <param name="sequenceLengths">Where to copy the lengths of batches that carry them (see <see cref="TrainingOptions.SequenceLengths"/>), or null.</param>
    /// <returns>The loss, and the metric's result (null without a metric).</returns>
    public static (double Loss, double? Metric) Evaluate(Layer network, Loss loss, IBatchSource data, int batchSize, IMetric? metric = null, SequenceLengths? sequenceLengths = null) =>
        Evaluate(network, loss, data, batchSize, metric, new Batch(), sequenceLengths);

    private static (double Loss, double? Metric) Evaluate(Layer network, Loss loss, IBatchSource data, int batchSize, IMetric? metric, Batch batch, SequenceLengths? sequenceLengths)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(data);
        metric?.Reset();
        double lossSum = 0, weightSum = 0;
        using var cursor = data.OpenCursor(batchSize, shuffle: null);
        while (cursor.MoveNext(batch))
        {
            SetLengths(sequenceLengths, batch);
            Tensor output = network.Forward(batch.Features, training: false);
            double bw = BatchWeight(batch);
            lossSum += loss.Forward(output, batch.Targets, batch.WeightsOrNull) * bw;
            weightSum += bw;
            metric?.Update(output, batch.Targets, batch.WeightsOrNull);
        }
        if (weightSum == 0) throw new ArgumentException("The data has no examples (or all weights are zero).", nameof(data));
        return (lossSum / weightSum, metric?.Result);
    }

    private static void SetLengths(SequenceLengths? target, Batch batch)
    {
        if (target is not null && batch.HasLengths) target.Set(batch.Lengths.AsSpan(0, batch.Count));
    }

    private static double BatchWeight(Batch batch)
    {
        if (!batch.HasWeights) return batch.Count;
        double s = 0;
        foreach (float w in batch.Weights.Span) s += w;
        return s;
    }

    private static bool IsMetric(MonitoredQuantity q) => q is MonitoredQuantity.Metric or MonitoredQuantity.ValidationMetric;

    private static double Monitored(MonitoredQuantity q, EpochMetrics m, IMetric? metric)
    {
        if (IsMetric(q) && metric is null)
            throw new InvalidOperationException($"Early stopping monitors {q}, but no metric is configured.");
        return q switch
        {
            MonitoredQuantity.ValidationLoss => m.ValidationLoss ?? m.Loss,
            MonitoredQuantity.ValidationMetric => m.ValidationMetric ?? m.Metric!.Value,
            MonitoredQuantity.Loss => m.Loss,
            _ => m.Metric!.Value,
        };
    }
}
