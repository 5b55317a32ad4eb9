namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>A fresh folder under the system temp folder for one test's files, deleted with everything in it on dispose.</summary>
internal sealed class PrivateFolder : IDisposable
{
    public PrivateFolder(string prefix = "dx-test-")
    {
        Root = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    /// <summary>The path of <paramref name="name"/> in the folder.</summary>
    public string File(string name) => Path.Combine(Root, name);

    /// <summary>Creates (if needed) and returns the sub-folder <paramref name="name"/>.</summary>
    public string Folder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    /// <summary>Every file below <paramref name="subFolder"/> (or the whole folder), recursively, as relative paths.</summary>
    public string[] Files(string? subFolder = null)
    {
        string dir = subFolder is null ? Root : Path.Combine(Root, subFolder);
        return Directory.Exists(dir)
            ? Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Root, f)).Order().ToArray()
            : [];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
