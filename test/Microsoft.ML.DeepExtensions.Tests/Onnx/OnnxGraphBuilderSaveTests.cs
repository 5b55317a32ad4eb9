using Microsoft.ML.DeepExtensions.Onnx;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

[TestClass]
public sealed class OnnxGraphBuilderSaveTests
{
    private string _folder = "";

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "dx-onnx-save-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TestCleanup]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static OnnxGraphBuilder Negate()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("input", [2]);
        g.AddOutput("output", [2]);
        g.AddNode("Neg", ["input"], ["output"]);
        return g;
    }

    [TestMethod]
    public void SaveToPathWritesExactlyTheModelAndNoTemporaryFile()
    {
        var g = Negate();
        string path = Path.Combine(_folder, "model.onnx");

        g.Save(path);

        Directory.GetFiles(_folder).Should().Equal(path);
        File.ReadAllBytes(path).Should().Equal(g.ToBytes());
        OrtRunner.RunSingle(File.ReadAllBytes(path), "input", [1f, -2f], [1, 2], "output").Data.Should().Equal(-1f, 2f);
    }

    [TestMethod]
    public void SaveReplacesAnExistingFile()
    {
        string path = Path.Combine(_folder, "model.onnx");
        File.WriteAllText(path, "old contents that are longer than nothing");

        Negate().Save(path);

        Directory.GetFiles(_folder).Should().Equal(path);
        File.ReadAllBytes(path).Should().Equal(Negate().ToBytes());
    }

    [TestMethod]
    public void InvalidGraphLeavesExistingFileUntouchedAndNoTemporaryFile()
    {
        string path = Path.Combine(_folder, "model.onnx");
        File.WriteAllText(path, "previous");
        var g = new OnnxGraphBuilder();
        g.AddInput("input", [2]);
        g.AddOutput("output", [2]);   // never produced

        var act = () => g.Save(path);

        act.Should().Throw<InvalidOperationException>();
        Directory.GetFiles(_folder).Should().Equal(path);
        File.ReadAllText(path).Should().Be("previous");
    }

    [TestMethod]
    public void SaveIntoMissingFolderThrowsAndCreatesNothing()
    {
        string path = Path.Combine(_folder, "missing", "model.onnx");
        var act = () => Negate().Save(path);
        act.Should().Throw<IOException>();
        Directory.GetFileSystemEntries(_folder).Should().BeEmpty();
    }

    [TestMethod]
    public void SaveToStreamWritesTheSameBytes()
    {
        var g = Negate();
        using var stream = new MemoryStream();
        g.Save(stream);
        stream.ToArray().Should().Equal(g.ToBytes());
    }
}
