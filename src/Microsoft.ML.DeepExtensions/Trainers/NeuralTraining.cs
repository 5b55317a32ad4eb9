using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Engine.Losses;
using Microsoft.ML.DeepExtensions.Engine.Optimizers;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// What every neural trainer does between "the data is packed" and "the network is trained": seeding,
/// validation split, class weights, optimizer construction, progress logging and the engine's
/// <see cref="TrainingLoop"/>.
/// </summary>
internal static class NeuralTraining
{
    /// <summary>The trained network and its history.</summary>
    internal sealed record Result(Sequential Network, TrainingHistory History);

    /// <summary>Trains a network built by <paramref name="buildNetwork"/> on <paramref name="train"/>.</summary>
    /// <param name="host">The ML.NET host (log channel).</param>
    /// <param name="seed">The run's seed (<see cref="TrainerEnvironment.Seed"/>).</param>
    /// <param name="options">The user's options.</param>
    /// <param name="train">The packed training rows.</param>
    /// <param name="validation">Packed validation rows from <c>Fit(train, validation)</c>, or null (then <see cref="NeuralTrainerOptionsBase.ValidationFraction"/> applies).</param>
    /// <param name="classCount">Number of classes for class weights (0 for regression).</param>
    /// <param name="buildNetwork">Builds and initializes the network from a seeded generator.</param>
    /// <param name="loss">The training loss.</param>
    /// <param name="metric">The task metric reported per epoch.</param>
    public static Result Train(IHost host, ulong seed, NeuralTrainerOptionsBase options, InMemoryDataset train, InMemoryDataset? validation,
        int classCount, Func<Rng, Sequential> buildNetwork, Loss loss, IMetric metric)
    {
        var root = new Rng(seed);
        if (validation is null && options.ValidationFraction != 0)
        {
            if (!(options.ValidationFraction > 0 && options.ValidationFraction < 1))
                throw new ArgumentOutOfRangeException(nameof(options.ValidationFraction), options.ValidationFraction, "ValidationFraction must be 0 (none) or in (0, 1).");
            int held = (int)Math.Round(train.Rows * options.ValidationFraction);
            if (held < 1 || held >= train.Rows)
                throw new ArgumentOutOfRangeException(nameof(options.ValidationFraction), options.ValidationFraction,
                    $"ValidationFraction {options.ValidationFraction} of {train.Rows} training rows leaves no rows for {(held < 1 ? "validation" : "training")}. " +
                    "Use another fraction, or pass validation data to Fit(train, validation).");
            (train, validation) = train.Split(options.ValidationFraction, root.Fork(1));
        }
        if (options.ClassWeights is { } classWeights)
        {
            train = ApplyClassWeights(train, classWeights, classCount);
            if (validation is not null) validation = ApplyClassWeights(validation, classWeights, classCount);
        }

        var network = buildNetwork(root.Fork(2));
        var optimizer = CreateOptimizer(options, network.Parameters);
        using var channel = host.Start("Training");
        if (validation is null && options.EarlyStopping is { Monitor: MonitoredQuantity.ValidationLoss or MonitoredQuantity.ValidationMetric } early)
            channel.Warning(MessageSensitivity.None, $"Early stopping monitors {early.Monitor} but there is no validation data (set ValidationFraction or pass " +
                "validation data to Fit): it watches the training quantity instead, which rarely stops early.");
        foreach (string warning in options.Warnings()) channel.Warning(MessageSensitivity.None, warning);
        channel.Info(MessageSensitivity.None, $"Training {network.ParameterCount:N0} parameters on {train.Rows:N0} rows" +
            (validation is null ? "" : $", validating on {validation.Rows:N0}") + $": {network.Name}.");
        var trainingOptions = new TrainingOptions
        {
            Epochs = options.NumberOfEpochs,
            BatchSize = options.BatchSize,
            Shuffle = options.Shuffle,
            Seed = root.Fork(3).NextUInt64(),
            Schedule = options.LearningRateSchedule,
            ClipGradientNorm = options.ClipGradientNorm,
            ClipGradientValue = options.ClipGradientValue,
            EarlyStopping = options.EarlyStopping,
            Augmenter = options.CreateAugmenter(root.Fork(4).NextUInt64()),
            SequenceLengths = train.HasLengths ? SequenceLengthsOf(network) : null,
            Metric = metric,
            CancellationToken = options.CancellationToken,
            TimeBudget = options.TimeBudget,
            OnEpochEnd = m =>
            {
                channel.Info(MessageSensitivity.None, m.ToString());
                options.OnEpochEnd?.Invoke(m);
            },
        };
        var history = TrainingLoop.Fit(network, loss, optimizer, train, trainingOptions, validation);
        if (history.RestoredBestWeights)
            channel.Info(MessageSensitivity.None, $"Early stopping: restored the weights of epoch {history.BestEpoch}.");
        return new Result(network, history);
    }

    /// <summary>Builds the optimizer named by the options over <paramref name="parameters"/>.</summary>
    public static Optimizer CreateOptimizer(NeuralTrainerOptionsBase o, IReadOnlyList<Parameter> parameters) => o.Optimizer switch
    {
        OptimizerKind.Adam => new Adam(parameters, o.LearningRate, o.Beta1, o.Beta2, weightDecay: o.WeightDecay ?? 0f) { L1 = o.L1Regularization, L2 = o.L2Regularization },
        OptimizerKind.AdamW => new AdamW(parameters, o.LearningRate, o.Beta1, o.Beta2, weightDecay: o.WeightDecay ?? 0.01f) { L1 = o.L1Regularization, L2 = o.L2Regularization },
        OptimizerKind.Sgd => new Sgd(parameters, o.LearningRate, o.Momentum, nesterov: o.Nesterov, weightDecay: o.WeightDecay ?? 0f) { L1 = o.L1Regularization, L2 = o.L2Regularization },
        OptimizerKind.RMSprop => new RMSprop(parameters, o.LearningRate, momentum: o.Momentum, weightDecay: o.WeightDecay ?? 0f) { L1 = o.L1Regularization, L2 = o.L2Regularization },
        OptimizerKind.Adagrad => new Adagrad(parameters, o.LearningRate, weightDecay: o.WeightDecay ?? 0f) { L1 = o.L1Regularization, L2 = o.L2Regularization },
        _ => throw new ArgumentOutOfRangeException(nameof(o.Optimizer), o.Optimizer, "Unknown optimizer."),
    };

    /// <summary>Checks that <paramref name="classWeights"/> (if any) has one finite weight ≥ 0 per class.</summary>
    /// <param name="classWeights">The option's value, or null.</param>
    /// <param name="classCount">Number of classes (0 for regression).</param>
    /// <exception cref="ArgumentException">Class weights are set for regression, or their count differs from the class count.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A weight is negative or not finite.</exception>
    public static void CheckClassWeights(float[]? classWeights, int classCount)
    {
        if (classWeights is null) return;
        if (classCount == 0)
            throw new ArgumentException("ClassWeights apply to classification only.", nameof(NeuralTrainerOptionsBase.ClassWeights));
        if (classWeights.Length != classCount)
            throw new ArgumentException($"ClassWeights has {classWeights.Length} values; the label has {classCount} classes.", nameof(NeuralTrainerOptionsBase.ClassWeights));
        foreach (float w in classWeights)
            if (!float.IsFinite(w) || w < 0)
                throw new ArgumentOutOfRangeException(nameof(NeuralTrainerOptionsBase.ClassWeights), w, "Class weights must be finite and >= 0.");
    }

    private static InMemoryDataset ApplyClassWeights(InMemoryDataset data, float[] classWeights, int classCount)
    {
        CheckClassWeights(classWeights, classCount);
        var weights = new float[data.Rows];
        var existing = data.Weights;
        var targets = data.Targets;
        for (int i = 0; i < weights.Length; i++)
            weights[i] = classWeights[(int)targets[i]] * (existing.IsEmpty ? 1f : existing[i]);
        if (!weights.Any(w => w > 0))
            throw new ArgumentException("ClassWeights give every row a weight of 0: at least one class present in the data needs a positive weight.", nameof(NeuralTrainerOptionsBase.ClassWeights));
        return data.WithWeights(weights);
    }

    /// <summary>The lengths object the network's recurrent layers read (set from each batch's lengths), or null.</summary>
    private static SequenceLengths? SequenceLengthsOf(Sequential network) =>
        network.Layers.OfType<RecurrentLayer>().Select(r => r.Lengths).FirstOrDefault(l => l is not null);

    /// <summary>
    /// Ends a regression network with a fixed <see cref="Rescaling"/> <c>y = z·σ + μ</c> (μ, σ: the weighted mean and
    /// standard deviation of the training labels), so it learns a standardized target while its output, loss and
    /// metric stay in the label's units.
    /// </summary>
    internal static Sequential WithLabelScale(Sequential network, InMemoryDataset train)
    {
        var (mean, std) = LabelStatistics(train);
        return new Sequential(network.Layers.Append(new Rescaling(std, mean)));
    }

    /// <summary>Weighted mean and standard deviation of the labels (float64 two-pass); σ = 1 for a constant label.</summary>
    internal static (float Mean, float Std) LabelStatistics(InMemoryDataset train)
    {
        var y = train.Targets;
        var w = train.Weights;
        double sw = 0, sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double wi = w.IsEmpty ? 1 : w[i];
            sw += wi;
            sum += wi * y[i];
        }
        double mean = sw > 0 ? sum / sw : 0, ss = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double wi = w.IsEmpty ? 1 : w[i], d = y[i] - mean;
            ss += wi * d * d;
        }
        double std = sw > 0 ? Math.Sqrt(ss / sw) : 0;
        return ((float)mean, std > 1e-12 ? (float)std : 1f);
    }
}
