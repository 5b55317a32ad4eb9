using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Benchmarks.Workloads;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

/// <summary>
/// An MLP workload through the public ML.NET API: <c>mlContext.MulticlassClassification.Trainers.Mlp</c> with the
/// workload's hidden sizes, batch size, Adam at lr 1e-3 and 3 epochs, fitted on an <see cref="IDataView"/> of the same
/// rows (key label, 64-float vector).
/// </summary>
/// <remarks>
/// Measured like the scikit-learn anchor: untimed 1-epoch fits until the JIT has settled (<see cref="JitWarmup"/>), then
/// <see cref="Repetitions"/> timed 3-epoch fits;
/// <b>samples/s = 3N / median fit time</b>. A fit includes reading the <see cref="IDataView"/> into packed arrays,
/// building the network, the training loop, the ONNX export and the creation of the ONNX Runtime scoring chain.
/// The trainer uses its own seeded initialization and shuffle, so the losses are comparable in size only.
/// The median per-epoch time inside the fits is reported too (<c>loop_samples_per_s</c>).
/// </remarks>
public static class MlNetProtocol
{
    /// <summary>Timed fits.</summary>
    public const int Repetitions = 3;

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        /// <summary>The 0-based class: <c>LoadFromEnumerable</c> stores a key column's value v as the key v + 1.</summary>
        public uint Label { get; set; }
    }

    /// <summary>Runs the fits and returns the result (anchor-style JSON; <c>framework</c> = <c>mlnet</c>).</summary>
    public static JsonObject Run(MlpWorkload workload, RunSettings settings)
    {
        Parallelism.MaxDegreeOfParallelism = settings.Threads;
        var wall = Stopwatch.StartNew();
        var data = workload.CreateData();
        int n = data.Rows, d = data.RowLength;
        var ml = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, d);
        schema["Label"].ColumnType = new KeyDataViewType(typeof(uint), data.Classes);
        var rows = Enumerable.Range(0, n).Select(i => new Row { Features = data.X.AsSpan(i * d, d).ToArray(), Label = (uint)data.Y[i] }).ToList();
        IDataView view = ml.Data.LoadFromEnumerable(rows, schema);

        var epochSeconds = new List<double>();
        MlpMulticlassTrainer.Options Options(int epochs) => new()
        {
            HiddenLayerSizes = workload.HiddenLayerSizes,
            NumberOfEpochs = epochs,
            BatchSize = workload.BatchSize,
            LearningRate = 1e-3f,
            Optimizer = OptimizerKind.Adam,
            Seed = 0,
            OnEpochEnd = m => epochSeconds.Add(m.Duration.TotalSeconds),
        };

        var warmClock = Stopwatch.StartNew();
        // ML.NET compiles a few dynamic methods on every fit, so the JIT never falls fully quiet: allow 2 per fit, cap at 5 s.
        var settle = JitWarmup.Settle(() => ml.MulticlassClassification.Trainers.Mlp(Options(1)).Fit(view).Dispose(),
            quietSeconds: 0.5, maxSeconds: 5, tolerancePerCall: 2, once: settings.Cold);
        double warmup = warmClock.Elapsed.TotalSeconds;
        epochSeconds.Clear();

        var fitSeconds = new double[Repetitions];
        MulticlassNeuralPredictionTransformer? model = null;
        for (int r = 0; r < Repetitions; r++)
        {
            model?.Dispose();
            var trainer = ml.MulticlassClassification.Trainers.Mlp(Options(settings.Epochs));
            long t0 = Stopwatch.GetTimestamp();
            model = trainer.Fit(view);
            fitSeconds[r] = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }

        long s0 = Stopwatch.GetTimestamp();
        var metrics = ml.MulticlassClassification.Evaluate(model!.Transform(view));
        double transformSeconds = Stopwatch.GetElapsedTime(s0).TotalSeconds;
        var history = model.Model.History.Epochs;
        model.Dispose();

        return new JsonObject
        {
            ["framework"] = "mlnet",
            ["workload"] = workload.Id,
            ["threads"] = settings.Threads,
            ["data_checksum"] = ResultJson.Checksum(WorkloadData.Checksum(data)),
            ["warmup_s"] = warmup,
            ["jit_settle"] = settle,
            ["train"] = new JsonObject
            {
                ["batch"] = workload.BatchSize,
                ["epochs"] = settings.Epochs,
                ["fit_s"] = ResultJson.Array(fitSeconds),
                ["samples_per_s_each"] = ResultJson.Array(fitSeconds.Select(t => settings.Epochs * n / t)),
                ["samples_per_s"] = settings.Epochs * n / Stats.Median(fitSeconds),
                ["epoch_s"] = ResultJson.Array(epochSeconds),
                ["loop_samples_per_s"] = n / Stats.Median(epochSeconds),
                ["epoch_mean_loss"] = ResultJson.Array(history.Select(e => e.Loss)),
                ["final_loss"] = history[^1].Loss,
                ["train_acc"] = metrics.MicroAccuracy,
            },
            ["transform_evaluate"] = new JsonObject
            {
                ["rows"] = n,
                ["seconds"] = transformSeconds,
                ["samples_per_s"] = n / transformSeconds,
            },
            ["wall_s"] = wall.Elapsed.TotalSeconds,
        };
    }
}
