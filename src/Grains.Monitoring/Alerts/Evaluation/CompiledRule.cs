using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;

namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>A stored rule with its conditions and filters compiled to predicates, ready to evaluate (built once per cache load).</summary>
public sealed class CompiledRule
{
    private CompiledRule(AlertRule rule, IReadOnlyList<RulePredicate> conditions, IReadOnlyList<RulePredicate> filters)
    {
        Rule = rule;
        Conditions = conditions;
        Filters = filters;
        Frequency = TimeSpan.FromMinutes(rule.Frequency);
        NeedsEventJson = conditions.Concat(filters).Any(p => p.NeedsEventJson);
        NeedsLatestRelease = conditions.Concat(filters).Any(p => p.NeedsLatestRelease);
    }

    public AlertRule Rule { get; }

    public long Id => Rule.Id;

    public IReadOnlyList<RulePredicate> Conditions { get; }

    public IReadOnlyList<RulePredicate> Filters { get; }

    /// <summary>The per (rule, issue) throttle.</summary>
    public TimeSpan Frequency { get; }

    public bool NeedsEventJson { get; }

    /// <summary>The rule has the latest-release filter: the project's latest release must be looked up before evaluating.</summary>
    public bool NeedsLatestRelease { get; }

    /// <summary>
    /// Compiles a stored rule. Nodes were validated when stored; a node this version does not know (or
    /// no longer accepts) compiles to a predicate that never holds, so a bad row silences its rule
    /// instead of failing every event of the project.
    /// </summary>
    public static CompiledRule Compile(AlertRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return new CompiledRule(rule, Predicates(rule, rule.ConditionsJson), Predicates(rule, rule.FiltersJson));
    }

    private static List<RulePredicate> Predicates(AlertRule rule, string json)
    {
        var predicates = new List<RulePredicate>();
        JsonArray? nodes;
        try
        {
            nodes = JsonNode.Parse(json) as JsonArray;
        }
        catch (System.Text.Json.JsonException)
        {
            nodes = null;
        }

        if (nodes is null)
        {
            return [new NeverCondition("invalid")];
        }

        foreach (var node in nodes.OfType<JsonObject>())
        {
            var id = NodeForm.Text(node, "id") ?? "";
            predicates.Add(RuleNodeCatalog.Find(id)?.Compile?.Invoke(node, rule) ?? new NeverCondition("invalid"));
        }

        return predicates;
    }
}
