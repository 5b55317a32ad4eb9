using System.Globalization;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Samples;

/// <summary>One forecasting example: the previous 14 days and the change of the maximum temperature from today to tomorrow.</summary>
public sealed class WeatherWindow
{
    /// <summary>
    /// 14 days × 7 values, day by day: max and min temperature (°C), log(1 + precipitation in mm), wind (m/s), the
    /// day's temperature range max − min (°C; large on clear days, small under clouds), and the sine and cosine of the
    /// day of the year.
    /// </summary>
    [VectorType(SeattleWeather.Days * SeattleWeather.FeaturesPerDay)]
    public float[] Features { get; set; } = [];

    /// <summary>Tomorrow's maximum temperature minus today's (°C).</summary>
    public float Change { get; set; }

    /// <summary>Today's maximum temperature (°C).</summary>
    public float Today { get; set; }

    /// <summary>The forecast day, yyyy-MM-dd.</summary>
    public string Date { get; set; } = "";
}

/// <summary>
/// The Seattle daily weather 2012-2015 shipped in <c>data/timeseries</c>, cut into 14-day windows. The model predicts the
/// <b>change</b> of the maximum temperature from today to tomorrow: its forecast is <c>today + change</c>, whose error is
/// the error on the change, and the persistence baseline ("tomorrow = today") is a change of 0.
/// </summary>
public static class SeattleWeather
{
    /// <summary>Days of history per example.</summary>
    public const int Days = 14;

    /// <summary>Values per day.</summary>
    public const int FeaturesPerDay = 7;

    /// <summary>Reads <paramref name="path"/> (date, precipitation, temp_max, temp_min, wind, weather) into windows, one per forecast day.</summary>
    public static List<WeatherWindow> Windows(string path)
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).ToArray();
        var days = lines.Select(p =>
        {
            double angle = 2 * Math.PI * DateTime.Parse(p[0], ci).DayOfYear / 365.25;
            float max = float.Parse(p[2], ci), min = float.Parse(p[3], ci);
            return new[] { max, min, MathF.Log(1 + float.Parse(p[1], ci)), float.Parse(p[4], ci), max - min, (float)Math.Sin(angle), (float)Math.Cos(angle) };
        }).ToArray();
        var windows = new List<WeatherWindow>();
        for (int i = Days; i < days.Length; i++)
            windows.Add(new WeatherWindow
            {
                Features = days[(i - Days)..i].SelectMany(d => d).ToArray(),
                Change = days[i][0] - days[i - 1][0],
                Today = days[i - 1][0],
                Date = lines[i][0],
            });
        return windows;
    }
}
