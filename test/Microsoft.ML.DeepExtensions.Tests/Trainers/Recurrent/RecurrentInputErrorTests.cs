using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.DeepExtensions.Trainers;

namespace Microsoft.ML.DeepExtensions.Tests.Trainers.Recurrent;

/// <summary>
/// Sequence input that cannot be read fails before training with an exception naming the column (and the row where it
/// applies): non-vector or non-numeric features, NaN values, sizes that are not whole steps, lengths out of range, options
/// that contradict the column, and validation tokens from another vocabulary.
/// </summary>
[TestClass]
public sealed class RecurrentInputErrorTests
{
    private static RecurrentRegressionTrainer.Options Options() => new() { HiddenSize = 4, NumberOfEpochs = 1, Seed = 0 };

    private static Action Fit(MLContext ml, IDataView data, RecurrentRegressionTrainer.Options options) =>
        () => ml.Regression.Trainers.Gru(options).Fit(data).Dispose();

    [TestMethod]
    public void AScalarFeatureColumnIsRejected()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(new[] { new SequenceRow { Length = 2, Label = 1 } });
        var options = Options();
        options.FeatureColumnName = nameof(SequenceRow.Length);
        Fit(ml, data, options).Should().Throw<ArgumentException>().WithMessage("*'Length'*expects a vector*");
        // EstimatorChain.Fit checks the schema with GetOutputSchema before fitting anything.
        var chain = () => ml.Transforms.CopyColumns("Copy", "Label").Append(ml.Regression.Trainers.Gru(options)).Fit(data);
        chain.Should().Throw<ArgumentException>().WithMessage("*'Length'*");
    }

    [TestMethod]
    public void NaNAndPartialStepsNameTheRow()
    {
        var ml = new MLContext(seed: 0);
        var rows = SequenceTestData.Series(5, 2, 4, seed: 1);
        rows[3].Features[1] = float.NaN;
        var options = Options();
        options.FeaturesPerStep = 2;
        Fit(ml, SequenceTestData.Variable(ml, rows), options).Should().Throw<InvalidOperationException>().WithMessage("*'Features'*NaN*row 3, slot 1*");

        rows = SequenceTestData.Series(5, 2, 4, seed: 1);
        rows[2].Features = [1f, 2f, 3f];
        Fit(ml, SequenceTestData.Variable(ml, rows), options).Should().Throw<InvalidOperationException>().WithMessage("*3 values at row 2*FeaturesPerStep*");
    }

    [TestMethod]
    public void ASequenceTooLongForScoringFailsBeforeTraining()
    {
        // 2^20 + 1 values: more than the largest padding glue of the ML.NET scoring chain.
        var ml = new MLContext(seed: 0);
        var rows = SequenceTestData.Series(3, 1, 4, seed: 4);
        rows[1].Features = new float[(1 << 20) + 1];
        var options = Options();
        int epochs = 0;
        options.OnEpochEnd = _ => epochs++;
        Fit(ml, SequenceTestData.Variable(ml, rows), options).Should().Throw<ArgumentException>().WithMessage("*1048577 values*MaxSequenceLength*");
        epochs.Should().Be(0, "the length is checked before the first epoch");
    }

    [TestMethod]
    public void LengthsMustBeWholeStepsWithinTheRow()
    {
        var ml = new MLContext(seed: 0);
        var rows = SequenceTestData.Series(5, 1, 4, seed: 2);
        var options = Options();
        options.LengthColumnName = nameof(SequenceRow.Length);
        rows[4].Length = rows[4].Features.Length + 1;
        Fit(ml, SequenceTestData.Variable(ml, rows), options).Should().Throw<InvalidOperationException>().WithMessage("*'Length'*row 4*");
        rows[4].Length = 1.5f;
        Fit(ml, SequenceTestData.Variable(ml, rows), options).Should().Throw<InvalidOperationException>().WithMessage("*'Length'*1.5 at row 4*whole number*");
        options.LengthColumnName = "Missing";
        Fit(ml, SequenceTestData.Variable(ml, rows), options).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*'Missing'*");
    }

    [TestMethod]
    public void OptionsMustFitTheColumn()
    {
        var ml = new MLContext(seed: 0);
        var padded = SequenceTestData.Padded(ml, SequenceTestData.Series(5, 1, 4, seed: 3), 10);
        var options = Options();
        options.FeaturesPerStep = 3;
        Fit(ml, padded, options).Should().Throw<ArgumentException>().WithMessage("*FeaturesPerStep is 3*10 values*");
        options = Options();
        options.TimeSteps = 4;
        Fit(ml, padded, options).Should().Throw<ArgumentException>().WithMessage("*TimeSteps is 4*10 values*");
        options.TimeSteps = 2;
        Fit(ml, SequenceTestData.Variable(ml, SequenceTestData.Series(5, 1, 4, seed: 3)), options).Should().Throw<ArgumentException>().WithMessage("*TimeSteps*variable-size*");
        options = Options();
        options.HiddenSize = 0;
        Fit(ml, padded, options).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("HiddenSize");
        options = Options();
        options.Dropout = 1f;
        Fit(ml, padded, options).Should().Throw<ArgumentOutOfRangeException>().Which.ParamName.Should().Be("Dropout");
        var empty = SequenceTestData.Variable(ml, [new SequenceRow(), new SequenceRow()]);
        Fit(ml, empty, Options()).Should().Throw<InvalidOperationException>().WithMessage("*Every sequence*empty*");
    }

    [TestMethod]
    public void TokensNeedTextKeysAndTheSameVocabularyForValidation()
    {
        var ml = new MLContext(seed: 0);
        var train = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "a b c" }, new TextRow { Text = "b c" } });
        var other = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "x y" } });
        var trainTokens = SequenceTestData.Tokenize(ml).Fit(train).Transform(train);
        var otherTokens = SequenceTestData.Tokenize(ml).Fit(other).Transform(other);
        var options = new RecurrentBinaryTrainer.Options { FeatureColumnName = "Tokens", HiddenSize = 2, NumberOfEpochs = 1, Seed = 0 };
        var act = () => ml.BinaryClassification.Trainers.Lstm(options).Fit(trainTokens, otherTokens);
        act.Should().Throw<ArgumentException>().WithMessage("*validation data does not match*vocabulary of 3 keys*").Which.ParamName.Should().Be("validationData");

        options.LengthColumnName = "Label";
        act = () => ml.BinaryClassification.Trainers.Lstm(options).Fit(trainTokens);
        act.Should().Throw<ArgumentException>();
    }
}
