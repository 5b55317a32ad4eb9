namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>Paths to the real data sets copied next to the tests (repository folder <c>data/</c>).</summary>
public static class TestData
{
    /// <summary>The absolute path of <c>data/{relative}</c> in the test output directory.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(AppContext.BaseDirectory, "data", relative);
}
