using Microsoft.ML.DeepExtensions.Onnx;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Microsoft.ML.DeepExtensions.Tests.Onnx;

[TestClass]
public sealed class OnnxGraphBuilderTests
{
    // A 3 -> 4 -> 2 MLP with fixed weights; PyTorch layout: W (out, in).
    private static readonly float[] W1 = [0.5f, -0.2f, 0.1f, 0.3f, 0.8f, -0.5f, -0.7f, 0.25f, 0.6f, 0.05f, -0.15f, 0.9f];
    private static readonly float[] B1 = [0.1f, -0.1f, 0.2f, 0f];
    private static readonly float[] W2 = [1.0f, -0.5f, 0.25f, 0.75f, -0.3f, 0.6f, -0.9f, 0.4f];
    private static readonly float[] B2 = [0.05f, -0.05f];

    private static OnnxGraphBuilder BuildMlp()
    {
        var g = new OnnxGraphBuilder();
        string x = g.AddInput("input", [3]);
        g.AddOutput("output", [2]);
        string w1 = g.AddInitializer("fc1_weight", W1, [4, 3]);
        string b1 = g.AddInitializer("fc1_bias", B1);
        string w2 = g.AddInitializer("fc2_weight", W2, [2, 4]);
        string b2 = g.AddInitializer("fc2_bias", B2);
        string h = g.Apply("Gemm", [x, w1, b1], OnnxAttribute.Int("transB", 1));
        h = g.Apply("Relu", [h]);
        string logits = g.Apply("Gemm", [h, w2, b2], OnnxAttribute.Int("transB", 1));
        g.AddNode("Softmax", [logits], ["output"], [OnnxAttribute.Int("axis", -1)]);
        return g;
    }

    private static float[] NaiveMlp(float[] x, int n)
    {
        var y = new float[n * 2];
        for (int r = 0; r < n; r++)
        {
            var h = new double[4];
            for (int o = 0; o < 4; o++)
            {
                double s = B1[o];
                for (int i = 0; i < 3; i++) s += (double)W1[o * 3 + i] * x[r * 3 + i];
                h[o] = Math.Max(0, s);
            }
            var z = new double[2];
            for (int o = 0; o < 2; o++)
            {
                z[o] = B2[o];
                for (int i = 0; i < 4; i++) z[o] += W2[o * 4 + i] * h[i];
            }
            double m = Math.Max(z[0], z[1]), e0 = Math.Exp(z[0] - m), e1 = Math.Exp(z[1] - m);
            y[r * 2] = (float)(e0 / (e0 + e1));
            y[r * 2 + 1] = (float)(e1 / (e0 + e1));
        }
        return y;
    }

    [TestMethod]
    [DataRow(1)]
    [DataRow(5)]
    public void MlpGraphMatchesNaiveComputationForAnyBatchSize(int n)
    {
        byte[] model = BuildMlp().ToBytes();
        var x = new float[n * 3];
        for (int i = 0; i < x.Length; i++) x[i] = MathF.Sin(i * 1.7f + 0.3f) * 2;

        var result = OrtRunner.RunSingle(model, "input", x, [n, 3], "output");

        result.Shape.Should().Equal(n, 2);
        TensorAssert.Close(result.Data, NaiveMlp(x, n), 0, 1e-5, "softmax(MLP)");
    }

    [TestMethod]
    public void ColumnOutputKeepsShapeNByOne()
    {
        var g = new OnnxGraphBuilder();
        string x = g.AddInput("input", [2]);
        g.AddOutput("probability", [1]);
        string w = g.AddInitializer("w", [2f, -1f], [1, 2]);
        string b = g.AddInitializer("b", [0.5f], []);
        string z = g.Apply("Gemm", [x, w, b], OnnxAttribute.Int("transB", 1));   // 2 x0 - x1 + 0.5
        g.AddNode("Sigmoid", [z], ["probability"]);

        var result = OrtRunner.RunSingle(g.ToBytes(), "input", [1f, 2f, -1f, 0.5f, 0f, 0f], [3, 2], "probability");

        result.Shape.Should().Equal(3, 1);
        float[] expected = new[] { 0f, -2.5f, 0f }.Select(v => (float)(1 / (1 + Math.Exp(-(v + 0.5))))).ToArray();
        TensorAssert.Close(result.Data, expected, 0, 1e-6, "sigmoid column");
    }

    [TestMethod]
    public void GraphInputAndOutputDeclareSymbolicBatchAndFixedDims()
    {
        var g = BuildMlp();
        using var session = new InferenceSession(g.ToBytes());

        session.InputMetadata["input"].Dimensions.Should().Equal(-1, 3);
        session.InputMetadata["input"].SymbolicDimensions[0].Should().Be("N");
        session.OutputMetadata["output"].Dimensions.Should().Equal(-1, 2);
        session.OutputMetadata["output"].ElementDataType.Should().Be(TensorElementType.Float);
    }

    [TestMethod]
    public void AttributesOfEveryKindReachTheRuntime()
    {
        // Constant(value_floats) -> Reshape(int64 shape) -> Pad(mode string, int64 pads) -> Transpose(perm ints)
        // -> LeakyRelu(alpha float) -> Add input.
        var g = new OnnxGraphBuilder();
        string x = g.AddInput("input", [3, 2]);
        g.AddOutput("output", [3, 2]);
        string c = g.Apply("Constant", [], OnnxAttribute.Floats("value_floats", -1f, 2f, -3f, 4f));
        string shape = g.AddInt64Initializer("shape", 2, 2);
        string r = g.Apply("Reshape", [c, shape]);                                      // [[-1, 2], [-3, 4]]
        string pads = g.AddInt64Initializer("pads", 0, 0, 0, 1);
        string p = g.Apply("Pad", [r, pads], OnnxAttribute.String("mode", "edge"));     // [[-1, 2, 2], [-3, 4, 4]]
        string t = g.Apply("Transpose", [p], OnnxAttribute.Ints("perm", 1, 0));        // [[-1, -3], [2, 4], [2, 4]]
        string l = g.Apply("LeakyRelu", [t], OnnxAttribute.Float("alpha", 0.5f));      // [[-0.5, -1.5], [2, 4], [2, 4]]
        g.AddNode("Add", [x, l], ["output"]);

        var result = OrtRunner.RunSingle(g.ToBytes(), "input", [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], [2, 3, 2], "output");

        result.Shape.Should().Equal(2, 3, 2);
        result.Data.Should().Equal(-0.5f, -1.5f, 2f, 4f, 2f, 4f, 0.5f, -0.5f, 3f, 5f, 3f, 5f);
    }

    [TestMethod]
    public void ModelCarriesProducerMetadataAndOpset()
    {
        var g = BuildMlp();
        g.ProducerName = "unit-test";
        g.SetMetadata("task", "multiclass");
        g.SetMetadata("task", "binary");
        g.SetMetadata("classes", "a,b");
        g.DocString = "a small MLP";

        using var session = new InferenceSession(g.ToBytes());

        session.ModelMetadata.ProducerName.Should().Be("unit-test");
        session.ModelMetadata.Description.Should().Be("a small MLP");
        session.ModelMetadata.CustomMetadataMap.Should().Contain("task", "binary").And.Contain("classes", "a,b");
        var proto = g.BuildModel();
        proto.OpsetImport.Single().Version.Should().Be(OnnxGraphBuilder.DefaultOpsetVersion);
        proto.IrVersion.Should().Be(8);
    }

    [TestMethod]
    public void UniqueNameNeverRepeatsAndSkipsDeclaredNames()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", [1]);
        g.UniqueName("x").Should().Be("x_1");
        g.UniqueName("w").Should().Be("w");
        g.UniqueName("w").Should().Be("w_1");
        g.AddInitializer("w", [1f]).Should().Be("w_2");
    }

    [TestMethod]
    public void NodeWithUndefinedInputIsRejected()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", [2]);
        var act = () => g.Apply("Add", ["x", "y"]);
        act.Should().Throw<ArgumentException>().WithMessage("*'y' is not defined*");
    }

    [TestMethod]
    public void ValueCannotBeAssignedTwice()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", [2]);
        g.AddNode("Relu", ["x"], ["y"]);
        var act = () => g.AddNode("Neg", ["x"], ["y"]);
        act.Should().Throw<ArgumentException>().WithMessage("*'y' is already defined*");
        var again = () => g.AddInput("x", [2]);
        again.Should().Throw<ArgumentException>().WithMessage("*already used*");
    }

    [TestMethod]
    public void OutputThatIsNeverProducedFailsSerialization()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", [2]);
        g.AddOutput("y", [2]);
        var act = () => g.ToBytes();
        act.Should().Throw<InvalidOperationException>().WithMessage("*'y' is never produced*");
    }

    [TestMethod]
    public void InitializerShapeMustMatchValueCount()
    {
        var g = new OnnxGraphBuilder();
        var act = () => g.AddInitializer("w", [1f, 2f, 3f], [2, 2]);
        act.Should().Throw<ArgumentException>().WithMessage("*holds 4 values but 3*");
    }

    [TestMethod]
    public void OperatorOfUnimportedDomainIsRejected()
    {
        var g = new OnnxGraphBuilder();
        g.AddInput("x", [2]);
        var act = () => g.AddNode("Scaler", ["x"], ["y"], domain: "ai.onnx.ml");
        act.Should().Throw<ArgumentException>().WithMessage("*ImportOpset*");

        g.ImportOpset("ai.onnx.ml", 3);
        g.AddNode("Scaler", ["x"], ["y"], [OnnxAttribute.Floats("offset", 1f, 2f), OnnxAttribute.Floats("scale", 2f, 3f)], domain: "ai.onnx.ml");
        g.AddOutput("y", [2]);
        var result = OrtRunner.RunSingle(g.ToBytes(), "x", [3f, 4f], [1, 2], "y");
        result.Data.Should().Equal(4f, 6f);   // (x - offset) * scale
    }
}
