using System.CommandLine;
using Microsoft.ML.DeepExtensions.Samples;

// Runnable samples of Microsoft.ML.DeepExtensions. The first argument picks the scenario:
//   dotnet run -c Release --project src/Samples -- tabular [--output DIR] [--json]
var scenarios = Scenario.All.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
var scenarioArgument = new Argument<string>("scenario")
{
    Description = "The scenario to run: " + string.Join(", ", scenarios.Values.Select(s => $"{s.Name} ({s.Description})")),
    DefaultValueFactory = _ => Scenario.Default,
};
scenarioArgument.AcceptOnlyFromAmong([.. scenarios.Keys]);
var outputOption = new Option<DirectoryInfo?>("--output") { Description = "Folder for the files the scenario writes (default: artifacts/samples/<scenario>)." };
var jsonOption = new Option<bool>("--json") { Description = "Print, as the last line of stdout, one JSON object {\"scenario\", \"metrics\", \"seconds\"}." };
var root = new RootCommand("Microsoft.ML.DeepExtensions samples") { scenarioArgument, outputOption, jsonOption };
root.SetAction(parse =>
{
    var scenario = scenarios[parse.GetValue(scenarioArgument)!];
    var output = parse.GetValue(outputOption) ?? new DirectoryInfo(Path.Combine("artifacts", "samples", scenario.Name));
    return Scenario.Run(scenario, output, parse.GetValue(jsonOption));
});
return root.Parse(args).Invoke();
