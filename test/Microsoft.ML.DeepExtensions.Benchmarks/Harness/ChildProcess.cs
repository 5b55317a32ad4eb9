using System.Diagnostics;

namespace Microsoft.ML.DeepExtensions.Benchmarks.Harness;

/// <summary>Runs one benchmark process to completion, with its output in a log file and a timeout.</summary>
public static class ChildProcess
{
    /// <summary>The outcome: exit code (null on timeout) and wall time.</summary>
    /// <param name="ExitCode">The exit code, or null when the process was killed after the timeout.</param>
    /// <param name="Seconds">Wall time.</param>
    public sealed record Outcome(int? ExitCode, double Seconds);

    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/> and waits for it.</summary>
    /// <param name="fileName">The program.</param>
    /// <param name="arguments">Its arguments.</param>
    /// <param name="workingDirectory">Its working directory.</param>
    /// <param name="environment">Environment changes; a null value removes the variable.</param>
    /// <param name="logPath">Where stdout and stderr go.</param>
    /// <param name="timeoutSeconds">Seconds after which the process (and its children) is killed.</param>
    public static Outcome Run(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string?> environment, string logPath, int timeoutSeconds)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        foreach (var (key, value) in environment)
        {
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        }
        using var log = new StreamWriter(logPath) { AutoFlush = true };
        log.WriteLine($"$ {fileName} {string.Join(' ', info.ArgumentList)}");
        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        var gate = new object();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) log.WriteLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (gate) log.WriteLine($"!! killed after {timeoutSeconds} s");
            return new Outcome(null, clock.Elapsed.TotalSeconds);
        }
        process.WaitForExit(); // drains the asynchronous readers
        return new Outcome(process.ExitCode, clock.Elapsed.TotalSeconds);
    }
}
