using Microsoft.ML;
using Microsoft.ML.DeepExtensions.Engine.Training;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers;

/// <summary>
/// Invalid trainer options fail in <c>Fit</c> with an <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>)
/// whose <c>ParamName</c> is the option's name, before any row is read.
/// </summary>
[TestClass]
public sealed class MlpOptionsValidationTests
{
    private static MlpMulticlassTrainer.Options Valid() => new() { HiddenLayerSizes = [4], NumberOfEpochs = 1, Seed = 0 };

    private static void FitShouldThrow<TException>(MlpMulticlassTrainer.Options options, string optionName)
        where TException : ArgumentException
    {
        var ml = new MLContext(seed: 0);
        var act = () => ml.MulticlassClassification.Trainers.Mlp(options).Fit(TrainerTestData.Multiclass(ml));
        act.Should().Throw<TException>().Where(e => e.ParamName == optionName, $"the exception should name the option {optionName}")
            .Which.Message.Should().Contain(optionName);
    }

    [TestMethod]
    public void ValidOptionsTrain()
    {
        var ml = new MLContext(seed: 0);
        using var model = ml.MulticlassClassification.Trainers.Mlp(Valid()).Fit(TrainerTestData.Multiclass(ml));
        model.Model.History.Epochs.Should().HaveCount(1);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(-3)]
    public void NumberOfEpochsBelowOne(int epochs)
    {
        var o = Valid();
        o.NumberOfEpochs = epochs;
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.NumberOfEpochs));
    }

    [TestMethod]
    public void BatchSizeZero()
    {
        var o = Valid();
        o.BatchSize = 0;
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.BatchSize));
    }

    [TestMethod]
    [DataRow(1f)]
    [DataRow(-0.1f)]
    [DataRow(float.NaN)]
    public void DropoutRateOutsideZeroOne(float rate)
    {
        var o = Valid();
        o.DropoutRate = rate;
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.DropoutRate));
    }

    [TestMethod]
    [DataRow(-0.01f)]
    [DataRow(float.NaN)]
    [DataRow(float.PositiveInfinity)]
    public void LearningRateNegativeOrNotFinite(float rate)
    {
        var o = Valid();
        o.LearningRate = rate;
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.LearningRate));
    }

    [TestMethod]
    public void HiddenLayerSizeZero()
    {
        var o = Valid();
        o.HiddenLayerSizes = [4, 0];
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.HiddenLayerSizes));
    }

    [TestMethod]
    [DataRow(1.0)]
    [DataRow(-0.2)]
    public void ValidationFractionOutsideZeroOne(double fraction)
    {
        var o = Valid();
        o.ValidationFraction = fraction;
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.ValidationFraction));
    }

    [TestMethod]
    public void ClassWeightsOfTheWrongLength()
    {
        var o = Valid();
        o.ClassWeights = [1f, 2f];
        var ml = new MLContext(seed: 0);
        var act = () => ml.MulticlassClassification.Trainers.Mlp(o).Fit(TrainerTestData.Multiclass(ml, classes: 3));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == nameof(o.ClassWeights))
            .Which.Message.Should().Contain("2 values").And.Contain("3 classes");
    }

    [TestMethod]
    public void NegativeClassWeight()
    {
        var o = Valid();
        o.ClassWeights = [1f, -1f, 1f];
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.ClassWeights));
    }

    [TestMethod]
    public void ClassWeightsForRegression()
    {
        var ml = new MLContext(seed: 0);
        var o = new MlpRegressionTrainer.Options { HiddenLayerSizes = [4], NumberOfEpochs = 1, ClassWeights = [1f, 2f] };
        var act = () => ml.Regression.Trainers.Mlp(o).Fit(TrainerTestData.Regression(ml));
        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == nameof(o.ClassWeights))
            .Which.Message.Should().Contain("classification");
    }

    [TestMethod]
    public void ClipGradientNormZero()
    {
        var o = Valid();
        o.ClipGradientNorm = 0;
        FitShouldThrow<ArgumentOutOfRangeException>(o, nameof(o.ClipGradientNorm));
    }

    [TestMethod]
    public void NegativeEarlyStoppingPatience()
    {
        var o = Valid();
        o.EarlyStopping = new EarlyStopping { Patience = -1 };
        var ml = new MLContext(seed: 0);
        var act = () => ml.MulticlassClassification.Trainers.Mlp(o).Fit(TrainerTestData.Multiclass(ml));
        act.Should().Throw<ArgumentOutOfRangeException>().Which.Message.Should().Contain("Patience");
    }

    [TestMethod]
    public void OptionsAreCheckedBeforeAnyRowIsRead()
    {
        var ml = new MLContext(seed: 0);
        var x = TrainerTestData.Blobs(6, 4, 3, 0.5f, 1, out var y);
        x[0][0] = float.NaN; // reading the rows would fail with InvalidOperationException
        var data = TrainerTestData.LoadKeyRows(ml, x.Select((f, i) => new KeyRow { Features = f, Label = (uint)y[i] }), 4, 3);
        var o = Valid();
        o.NumberOfEpochs = 0;
        var act = () => ml.MulticlassClassification.Trainers.Mlp(o).Fit(data);
        act.Should().Throw<ArgumentOutOfRangeException>().Where(e => e.ParamName == nameof(o.NumberOfEpochs));
    }
}
