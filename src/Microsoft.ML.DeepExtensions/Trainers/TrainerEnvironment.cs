using System.Runtime.CompilerServices;
using System.Reflection;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.DeepExtensions.Trainers;

/// <summary>
/// The one place that reaches the ML.NET environment behind a catalog (<c>IInternalCatalog.Environment</c> is
/// internal in ML.NET 5.0.1, see DESIGN.md). The environment gives trainers the <see cref="MLContext"/>'s seed
/// and its <see cref="MLContext.Log"/>. When reflection cannot reach it (a future ML.NET), the fallback is a
/// private <see cref="MLContext"/> seeded with 0, so training still works, reproducibly, without logging
/// to the user's context.
/// </summary>
internal static class TrainerEnvironment
{
    private const string PropertyName = "Microsoft.ML.Data.IInternalCatalog.Environment";

    /// <summary>The environment behind <paramref name="catalog"/> (a trainers or transforms catalog).</summary>
    public static IHostEnvironment From(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        for (var t = catalog.GetType(); t is not null; t = t.BaseType)
        {
            var property = t.GetProperty(PropertyName, BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                ?? t.GetProperty("Environment", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
            if (property?.GetValue(catalog) is IHostEnvironment env)
                return env;
        }
        return new MLContext(seed: 0);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IHostEnvironment, StrongBox<ulong>> ContextSeeds = new();

    /// <summary>
    /// The seed for a training run: the options' seed when set; otherwise one seed per ML.NET environment, drawn from
    /// it the first time a trainer of this library trains in it. So <c>new MLContext(seed: s)</c> fixes every default
    /// seed, fitting the same options twice in one context gives the same model, and contexts without a seed vary.
    /// </summary>
    public static ulong Seed(IHostEnvironment env, int? optionsSeed)
    {
        if (optionsSeed is int s) return unchecked((ulong)(uint)s);
        return ContextSeeds.GetValue(env, e => new StrongBox<ulong>(unchecked((ulong)(uint)e.Register("Microsoft.ML.DeepExtensions").Rand.Next()))).Value;
    }
}
