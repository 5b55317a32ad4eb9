using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>One forecasting example: the previous 14 days and the next day's change of the maximum temperature.</summary>
public sealed class WeatherWindow
{
    /// <summary>14 days × 7 values: max and min temperature, log(1 + precipitation), wind, max − min, sin and cos of the day of the year.</summary>
    public float[] Features { get; set; } = [];

    /// <summary>Tomorrow's maximum temperature minus today's (°C).</summary>
    public float Change { get; set; }

    /// <summary>Today's maximum temperature (°C).</summary>
    public float Today { get; set; }

    /// <summary>The year of the forecast day.</summary>
    public int Year { get; set; }
}

/// <summary>
/// The Seattle daily weather 2012-2015 (<c>data/timeseries</c>) as 14-day windows, as the <c>weather</c> sample builds
/// them: the model predicts the change of the maximum temperature from today to tomorrow, so that the error of its
/// forecast <c>today + change</c> equals the error on the change, and the persistence baseline ("tomorrow = today")
/// predicts a change of 0.
/// </summary>
internal static class SeattleWeather
{
    public const int Days = 14, FeaturesPerDay = 7;

    public static List<WeatherWindow> Windows()
    {
        var ci = CultureInfo.InvariantCulture;
        var lines = File.ReadAllLines(TestData.Path("timeseries/seattle_weather_daily_2012_2015.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var dates = lines.Select(p => DateTime.Parse(p[0], ci)).ToArray();
        var days = lines.Select((p, i) =>
        {
            double angle = 2 * Math.PI * dates[i].DayOfYear / 365.25;
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
                Year = dates[i].Year,
            });
        return windows;
    }

    public static IDataView Load(MLContext ml, IEnumerable<WeatherWindow> windows)
    {
        var schema = SchemaDefinition.Create(typeof(WeatherWindow));
        schema[nameof(WeatherWindow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Days * FeaturesPerDay);
        return ml.Data.LoadFromEnumerable(windows.ToList(), schema);
    }
}
