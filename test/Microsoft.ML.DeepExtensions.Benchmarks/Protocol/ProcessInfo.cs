namespace Microsoft.ML.DeepExtensions.Benchmarks.Protocol;

/// <summary>Facts about the current process.</summary>
public static class ProcessInfo
{
    /// <summary>
    /// Peak resident set size in MiB: <c>VmHWM</c> of <c>/proc/self/status</c> (the number <c>/usr/bin/time -v</c> and
    /// the anchors' <c>ru_maxrss</c> report); falls back to <see cref="System.Diagnostics.Process.PeakWorkingSet64"/>.
    /// </summary>
    public static double PeakRssMb()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                string kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        catch (IOException)
        {
        }
        return System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }

    /// <summary>The 1-minute load average from <c>/proc/loadavg</c>, or null.</summary>
    public static string? LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
