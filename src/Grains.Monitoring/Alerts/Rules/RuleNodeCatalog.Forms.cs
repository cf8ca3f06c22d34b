using Grains.Monitoring.Alerts.Evaluation;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>The forms of the catalog's nodes: what a UI shows to build each one (Sentry's rule configuration).</summary>
public static partial class RuleNodeCatalog
{
    private static readonly KeyValuePair<string, string>[] NoChoices = [];

    // Built on first use: the choices come from the other part's static tables, and the order in which
    // the two files' static initializers run is not defined.
    private static Dictionary<string, (string Prompt, RuleNodeField[] Fields)>? _forms;

    private static Dictionary<string, (string Prompt, RuleNodeField[] Fields)> Forms => _forms ??= BuildForms();

    private static Dictionary<string, (string Prompt, RuleNodeField[] Fields)> BuildForms() => new(StringComparer.Ordinal)
    {
        [RuleNodeIds.FirstSeen] = ("A new issue is created", []),
        [RuleNodeIds.Regression] = ("The issue changes state from resolved to unresolved", []),
        [RuleNodeIds.Reappeared] = ("The issue changes state from ignored to unresolved", []),
        [RuleNodeIds.EventFrequency] = ("The issue is seen more than {value} times in {interval}", FrequencyFields(Intervals, RuleNodeFieldKind.Integer)),
        [RuleNodeIds.EventUniqueUserFrequency] = ("The issue is seen by more than {value} users in {interval}", FrequencyFields(Intervals, RuleNodeFieldKind.Integer)),
        [RuleNodeIds.EventFrequencyPercent] = ("The issue affects more than {value} percent of sessions in {interval}", FrequencyFields(SessionIntervals, RuleNodeFieldKind.Number)),

        [RuleNodeIds.AgeComparison] = ("The issue is {comparison_type} than {value} {time}",
        [
            new("comparison_type", "Older or newer", RuleNodeFieldKind.Choice, Pairs(("older", "older"), ("newer", "newer"))),
            new("value", "Age", RuleNodeFieldKind.Integer, NoChoices),
            new("time", "Unit", RuleNodeFieldKind.Choice, [.. AgeUnits]),
        ]),
        [RuleNodeIds.IssueOccurrences] = ("The issue has happened at least {value} times", [new("value", "Occurrences", RuleNodeFieldKind.Integer, NoChoices)]),
        [RuleNodeIds.AssignedTo] = ("The issue is assigned to {targetType}",
        [
            new("targetType", "Assignee", RuleNodeFieldKind.Choice, [.. AssigneeTypes]),
            new("targetIdentifier", "Team or member id (for a team or member)", RuleNodeFieldKind.Integer, NoChoices, Required: false),
        ]),
        [RuleNodeIds.LatestRelease] = ("The event is from the latest release", []),
        [RuleNodeIds.Level] = ("The event's level is {match} {level}",
        [
            new("match", "Comparison", RuleNodeFieldKind.Choice, [.. LevelMatches]),
            new("level", "Level", RuleNodeFieldKind.Choice, [.. Levels]),
        ]),
        [RuleNodeIds.TaggedEvent] = ("The event's tags match {key} {match} {value}",
        [
            new("key", "Tag", RuleNodeFieldKind.Text, NoChoices),
            new("match", "Match", RuleNodeFieldKind.Choice, [.. MatchLabels]),
            new("value", "Value", RuleNodeFieldKind.Text, NoChoices, Required: false),
        ]),
        [RuleNodeIds.EventAttribute] = ("The event's {attribute} value {match} {value}",
        [
            new("attribute", "Attribute", RuleNodeFieldKind.Choice, [.. EventAttributeFilter.Attributes.Select(a => KeyValuePair.Create(a, a))]),
            new("match", "Match", RuleNodeFieldKind.Choice, [.. MatchLabels]),
            new("value", "Value", RuleNodeFieldKind.Text, NoChoices, Required: false),
        ]),

        [RuleNodeIds.NotifyEventService] = ("Send a notification via {service}", [new("service", "Service", RuleNodeFieldKind.Service, NoChoices)]),
        [RuleNodeIds.NotifyEmail] = ("Send a notification to {targetType} and if none can be found then send a notification to {fallthroughType}",
        [
            new("targetType", "Recipients", RuleNodeFieldKind.Choice, [.. EmailTargets]),
            new("fallthroughType", "Fallback recipients", RuleNodeFieldKind.Choice, [.. Fallthroughs], Required: false),
            new("targetIdentifier", "Team or member id (for a team or member)", RuleNodeFieldKind.Integer, NoChoices, Required: false),
        ]),
        [RuleNodeIds.NotifyEvent] = ("Send a notification (for all legacy integrations)", []),
    };

    /// <summary>
    /// The form prompt of node <paramref name="id"/>, with its fields as <c>{name}</c> placeholders
    /// ("The issue is seen more than {value} times in {interval}"); null for an unknown node.
    /// </summary>
    public static string? Prompt(string id) => Forms.TryGetValue(id, out var form) ? form.Prompt : null;

    /// <summary>The form fields of node <paramref name="id"/> (empty for a node without any, or an unknown one).</summary>
    public static IReadOnlyList<RuleNodeField> Fields(string id) => Forms.TryGetValue(id, out var form) ? form.Fields : [];

    private static RuleNodeField[] FrequencyFields(IReadOnlyDictionary<string, (string Label, TimeSpan Span)> intervals, RuleNodeFieldKind value) =>
    [
        new("value", "Threshold", value, NoChoices),
        new("interval", "Interval", RuleNodeFieldKind.Choice, [.. intervals.Select(i => KeyValuePair.Create(i.Key, i.Value.Label))]),
        new("comparisonType", "Compared to", RuleNodeFieldKind.Choice, Pairs(("count", "a fixed count"), ("percent", "a percent higher than before")), Required: false),
        new("comparisonInterval", "Compared with (for percent)", RuleNodeFieldKind.Choice, [.. ComparisonIntervals.Select(i => KeyValuePair.Create(i.Key, i.Value.Label))], Required: false),
    ];

    private static KeyValuePair<string, string>[] Pairs(params (string Value, string Label)[] pairs) => [.. pairs.Select(p => KeyValuePair.Create(p.Value, p.Label))];
}
