using System.Reflection;
using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine;

/// <summary>DESIGN.md decision 1: the engine knows nothing of ML.NET.</summary>
[TestClass]
public sealed class EngineBoundaryTests
{
    private static readonly string[] EngineNamespaces = ["Microsoft.ML.DeepExtensions.Engine", "Microsoft.ML.DeepExtensions.Onnx"];

    private static bool IsForeignMicrosoftML(Type t)
    {
        string assembly = t.Assembly.GetName().Name!;
        return assembly.StartsWith("Microsoft.ML", StringComparison.Ordinal)
            && !assembly.StartsWith("Microsoft.ML.DeepExtensions", StringComparison.Ordinal);
    }

    [TestMethod]
    public void NoEngineTypeReferencesAnMLNetType()
    {
        var engineTypes = typeof(Tensor).Assembly.GetTypes()
            .Where(t => t.Namespace is { } ns && EngineNamespaces.Any(e => ns == e || ns.StartsWith(e + ".", StringComparison.Ordinal)))
            .ToArray();
        engineTypes.Should().HaveCountGreaterThan(10);
        var offences = engineTypes
            .SelectMany(t => TypeReferenceScanner.ReferencedTypes(t).Where(IsForeignMicrosoftML).Select(r => $"{t.FullName} -> {r.FullName}"))
            .ToArray();
        offences.Should().BeEmpty("engine code must not reference ML.NET (DESIGN.md, decision 1)");
    }

    [TestMethod]
    public void ScannerFindsReferencesInSignaturesAndMethodBodies()
    {
        // The fixture loader uses System.Text.Json in a field type and inside method bodies only.
        var refs = TypeReferenceScanner.ReferencedTypes(typeof(Fixture)).Select(t => t.FullName).ToArray();
        refs.Should().Contain("System.Text.Json.JsonElement");
        refs.Should().Contain("System.Text.Json.JsonDocument", "JsonDocument appears only inside Fixture.Load's body");
        TypeReferenceScanner.ReferencedTypes(typeof(Tensor)).Should().NotContain(t => t.Namespace == "System.Text.Json");
    }

    [TestMethod]
    public void ScannerFindsAttributesGenericConstraintsAndCatchClauses()
    {
        var refs = TypeReferenceScanner.ReferencedTypes(typeof(ScannerProbe<>)).ToArray();
        refs.Should().Contain(typeof(System.ComponentModel.DescriptionAttribute), "an attribute on the type");
        refs.Should().Contain(typeof(IComparable<int>), "a generic constraint");
        refs.Should().Contain(typeof(FormatException), "a catch clause");
        refs.Should().Contain(typeof(System.Text.StringBuilder), "a parameter attribute's type argument");
    }

    [System.ComponentModel.Description("probe")]
    private sealed class ScannerProbe<T> where T : IComparable<int>
    {
        public static int Parse(string s, [TypeArg(typeof(System.Text.StringBuilder))] int fallback)
        {
            try { return int.Parse(s, System.Globalization.CultureInfo.InvariantCulture); }
            catch (FormatException) { return fallback; }
        }
    }

    [AttributeUsage(AttributeTargets.Parameter)]
    private sealed class TypeArgAttribute(Type type) : Attribute
    {
        public Type Type { get; } = type;
    }
}
