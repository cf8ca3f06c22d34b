using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Fingerprinting;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>Locates Sentry's golden grouping data in ../shared (never copied into the repo) and builds configs for it.</summary>
internal static class GroupingFixtures
{
    public const string ConfigId = "newstyle:2026-01-20";

    private static readonly Lazy<string> Root = new(FindFixtureRoot);
    private static readonly Lazy<JsonObject> Expected = new(() => (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Root.Value, "expected.json")))!);

    public static string FixtureRoot => Root.Value;

    /// <summary>expected.json → configs → newstyle:2026-01-20.</summary>
    public static JsonObject ExpectedConfig => (JsonObject)Expected.Value["configs"]![ConfigId]!;

    public static IEnumerable<string> Names => ExpectedConfig.Select(kv => kv.Key).OrderBy(n => n, StringComparer.Ordinal);

    public static JsonObject ExpectedFor(string name) => (JsonObject)ExpectedConfig[name]!;

    public static JsonObject LoadInput(string name)
    {
        var relative = ExpectedFor(name)["input"]!.GetValue<string>();
        return (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(Root.Value, relative)))!;
    }

    public static string LoadSnapshot(string name)
    {
        var relative = ExpectedFor(name)["snapshot"]!.GetValue<string>();
        return File.ReadAllText(Path.Combine(Root.Value, relative));
    }

    /// <summary>The test harness's per-input settings: <c>_grouping.enhancements</c> and <c>_fingerprinting_rules</c>.</summary>
    public static GroupingConfig ConfigFor(JsonObject input)
    {
        var enhancements = (input["_grouping"] as JsonObject)?["enhancements"]?.GetValue<string>();
        var fingerprintRules = input["_fingerprinting_rules"] is JsonArray rules
            ? FingerprintRuleSet.FromJson(rules)
            : FingerprintRuleSet.Default;
        return new GroupingConfig(EnhancementRuleSet.WithProjectRules(enhancements), fingerprintRules);
    }

    private static string FindFixtureRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Grains.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException("Could not find Grains.sln above " + AppContext.BaseDirectory);
        }

        var root = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "fixtures", "sentry-grouping"));
        if (!Directory.Exists(root))
        {
            throw new InvalidOperationException("Shared grouping fixtures not found at " + root);
        }

        return root;
    }
}
