using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.DeepExtensions.Tests.Infrastructure;

/// <summary>Loads the tabular CSVs of <c>data/tabular</c> through ML.NET's TextLoader: a <c>Features</c> vector and a label column.</summary>
public static class TabularData
{
    /// <summary>
    /// Loads <c>data/tabular/{file}</c>: the first <paramref name="featureCount"/> columns as the Single vector
    /// <c>Features</c>, the column at <paramref name="labelIndex"/> as <c>Label</c> of <paramref name="labelKind"/>.
    /// </summary>
    public static IDataView Load(MLContext ml, string file, int featureCount, int labelIndex, DataKind labelKind = DataKind.Single) =>
        ml.Data.LoadFromTextFile(TestData.Path("tabular/" + file),
            [new TextLoader.Column("Features", DataKind.Single, 0, featureCount - 1), new TextLoader.Column("Label", labelKind, labelIndex)],
            separatorChar: ',', hasHeader: true);

    /// <summary>Iris: 4 features; <c>Label</c> is the species text (3 classes).</summary>
    public static IDataView Iris(MLContext ml) => Load(ml, "iris.csv", 4, 5, DataKind.String);

    /// <summary>Wine: 13 features, label 0..2 as Single.</summary>
    public static IDataView Wine(MLContext ml) => Load(ml, "wine.csv", 13, 13);

    /// <summary>Breast cancer: 30 features, label Boolean (1 = benign).</summary>
    public static IDataView BreastCancer(MLContext ml) => Load(ml, "breast_cancer.csv", 30, 30, DataKind.Boolean);

    /// <summary>Diabetes: 10 raw features, target Single.</summary>
    public static IDataView Diabetes(MLContext ml) => Load(ml, "diabetes.csv", 10, 10);

    /// <summary>Digits 8x8: 64 pixel features (0..16), label 0..9 as Single.</summary>
    public static IDataView Digits(MLContext ml) => Load(ml, "digits_8x8.csv", 64, 64);
}
