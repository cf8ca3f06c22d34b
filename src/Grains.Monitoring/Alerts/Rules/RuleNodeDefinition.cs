using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Evaluation;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>One kind of rule node: its Sentry id, where it goes, how it is labelled, validated and compiled.</summary>
public sealed class RuleNodeDefinition
{
    internal RuleNodeDefinition(
        string id,
        RuleNodeKind kind,
        Func<JsonObject, string> label,
        Func<JsonObject, RuleNodeCheck, string?>? validate = null,
        Func<JsonObject, AlertRule, RulePredicate>? compile = null)
    {
        Id = id;
        Kind = kind;
        Label = label;
        Validate = validate ?? ((_, _) => null);
        Compile = compile;
    }

    /// <summary>Sentry's full class path.</summary>
    public string Id { get; }

    public RuleNodeKind Kind { get; }

    /// <summary>The node's rendered <c>name</c> (e.g. "A new issue is created").</summary>
    internal Func<JsonObject, string> Label { get; }

    /// <summary>The node's first form error, or null; may normalize the node (defaults Sentry adds).</summary>
    internal Func<JsonObject, RuleNodeCheck, string?> Validate { get; }

    /// <summary>The predicate of a condition or filter (null for actions).</summary>
    internal Func<JsonObject, AlertRule, RulePredicate>? Compile { get; }

    /// <summary>The rendered label of a valid node of this kind.</summary>
    public string Render(JsonObject node) => Label(node);
}
