using Microsoft.ML.DeepExtensions.Engine;
using Microsoft.ML.DeepExtensions.Engine.Kernels;
using Microsoft.ML.DeepExtensions.Engine.Layers;
using Microsoft.ML.DeepExtensions.Tests.Infrastructure;

namespace Microsoft.ML.DeepExtensions.Tests.Engine.Layers;

/// <summary>Convolution and pooling give bit-identical results whatever <see cref="Parallelism.MaxDegreeOfParallelism"/> is.</summary>
[TestClass]
[DoNotParallelize] // changes Parallelism.MaxDegreeOfParallelism
public sealed class Conv2dDeterminismTests
{
    [TestMethod]
    [DataRow(3, 1, 0)]   // the whole batch in one chunk: threads inside the unrolling and the products
    [DataRow(3, 1, 5)]   // 7 chunks of 5 images on two threads: one gradient group per chunk
    [DataRow(1, 1, 1)]   // 32 chunks of one image: 8 gradient groups of 4 chunks
    [DataRow(1, 4, 0)]   // grouped, the whole batch in one chunk
    [DataRow(1, 4, 3)]   // grouped, 11 chunks
    public void ForwardAndBackwardAreBitIdenticalForOneAndTwoThreads(int stride, int groups, int imagesPerChunk)
    {
        // 32 images of 8×16×16 in one chunk: im2col and col2im are large enough to be split over two threads.
        Tensor x = TestTensors.Uniform(new Rng(1), [32, 8, 16, 16]);
        float[][] RunWith(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            try
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                var conv = new Conv2d(8, 16, 3, stride, padding: 1, groups: groups);
                int plane = (16 + 2 - 3) / stride + 1;
                conv.ColumnBudget = imagesPerChunk > 0 ? 72 * plane * plane * imagesPerChunk : 1 << 23;
                conv.Initialize(new Rng(2));
                float[] y = conv.Forward(x, training: true).Span.ToArray();
                Tensor g = TestTensors.Uniform(new Rng(3), conv.Forward(x, training: true).Shape.ToArray());
                float[] dx = conv.Backward(g)!.Span.ToArray();
                return [y, dx, conv.Weight.Gradient.Span.ToArray(), conv.Bias!.Gradient.Span.ToArray()];
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }
        var one = RunWith(1);
        var two = RunWith(2);
        string[] names = ["y", "dx", "dW", "db"];
        for (int i = 0; i < one.Length; i++)
            two[i].Should().Equal(one[i], $"{names[i]} with 2 threads");
    }

    [TestMethod]
    public void PoolingAndReluAreBitIdenticalForOneAndTwoThreads()
    {
        Tensor x = TestTensors.Uniform(new Rng(4), [32, 32, 32, 32]); // 1,024 planes: every loop is split over two threads
        Layer[] Make() => [new MaxPool2d(3, 2, 1), new AvgPool2d(3, 2, 1), new GlobalAvgPool2d(), new ReLU()];
        float[][] RunWith(int threads)
        {
            int saved = Parallelism.MaxDegreeOfParallelism;
            try
            {
                Parallelism.MaxDegreeOfParallelism = threads;
                var results = new List<float[]>();
                foreach (var layer in Make())
                {
                    Tensor y = layer.Forward(x, training: true);
                    results.Add(y.Span.ToArray());
                    results.Add(layer.Backward(TestTensors.Uniform(new Rng(5), y.Shape.ToArray()))!.Span.ToArray());
                }
                return results.ToArray();
            }
            finally
            {
                Parallelism.MaxDegreeOfParallelism = saved;
            }
        }
        var one = RunWith(1);
        var two = RunWith(2);
        for (int i = 0; i < one.Length; i++) two[i].Should().Equal(one[i]);
    }
}
