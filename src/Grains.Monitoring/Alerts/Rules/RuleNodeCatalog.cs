using System.Globalization;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Evaluation;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The rule nodes Grains accepts, with Sentry's ids, labels (<c>render_label</c>) and form checks
/// (reference §3.1, api-shapes §e). Anything else is refused with "Invalid node. Could not find '…'".
/// </summary>
public static partial class RuleNodeCatalog
{
    /// <summary>Frequency intervals of the count conditions: id → (label, span).</summary>
    public static IReadOnlyDictionary<string, (string Label, TimeSpan Span)> Intervals { get; } = new Dictionary<string, (string, TimeSpan)>(StringComparer.Ordinal)
    {
        ["1m"] = ("one minute", TimeSpan.FromMinutes(1)),
        ["5m"] = ("5 minutes", TimeSpan.FromMinutes(5)),
        ["15m"] = ("15 minutes", TimeSpan.FromMinutes(15)),
        ["1h"] = ("one hour", TimeSpan.FromHours(1)),
        ["1d"] = ("one day", TimeSpan.FromDays(1)),
        ["1w"] = ("one week", TimeSpan.FromDays(7)),
        ["30d"] = ("30 days", TimeSpan.FromDays(30)),
    };

    /// <summary>Intervals of the percent-of-sessions condition.</summary>
    public static IReadOnlyDictionary<string, (string Label, TimeSpan Span)> SessionIntervals { get; } = new Dictionary<string, (string, TimeSpan)>(StringComparer.Ordinal)
    {
        ["5m"] = ("5 minutes", TimeSpan.FromMinutes(5)),
        ["10m"] = ("10 minutes", TimeSpan.FromMinutes(10)),
        ["30m"] = ("30 minutes", TimeSpan.FromMinutes(30)),
        ["1h"] = ("one hour", TimeSpan.FromHours(1)),
    };

    /// <summary>How far back a percent comparison looks: id → (label, offset).</summary>
    public static IReadOnlyDictionary<string, (string Label, TimeSpan Span)> ComparisonIntervals { get; } = new Dictionary<string, (string, TimeSpan)>(StringComparer.Ordinal)
    {
        ["5m"] = ("5 minutes ago", TimeSpan.FromMinutes(5)),
        ["15m"] = ("15 minutes ago", TimeSpan.FromMinutes(15)),
        ["1h"] = ("one hour ago", TimeSpan.FromHours(1)),
        ["1d"] = ("one day ago", TimeSpan.FromDays(1)),
        ["1w"] = ("one week ago", TimeSpan.FromDays(7)),
        ["30d"] = ("30 days ago", TimeSpan.FromDays(30)),
    };

    private static readonly string[] ComparisonTypes = ["count", "percent"];

    private static readonly Dictionary<string, string> AgeUnits = new(StringComparer.Ordinal)
    {
        ["minute"] = "minute(s)",
        ["hour"] = "hour(s)",
        ["day"] = "day(s)",
        ["week"] = "week(s)",
    };

    private static readonly Dictionary<string, string> LevelMatches = new(StringComparer.Ordinal)
    {
        ["eq"] = "equal to",
        ["gte"] = "greater than or equal to",
        ["lte"] = "less than or equal to",
    };

    private static readonly Dictionary<string, string> Levels = new(StringComparer.Ordinal)
    {
        ["50"] = "fatal",
        ["40"] = "error",
        ["30"] = "warning",
        ["20"] = "info",
        ["10"] = "debug",
        ["0"] = "sample",
    };

    private static readonly Dictionary<string, string> AssigneeTypes = new(StringComparer.Ordinal)
    {
        ["Unassigned"] = "no one",
        ["Team"] = "team",
        ["Member"] = "member",
    };

    private static readonly Dictionary<string, string> EmailTargets = new(StringComparer.Ordinal)
    {
        ["IssueOwners"] = "Suggested Assignees",
        ["Team"] = "Team",
        ["Member"] = "Member",
    };

    private static readonly Dictionary<string, string> Fallthroughs = new(StringComparer.Ordinal)
    {
        ["ActiveMembers"] = "Recently Active Members",
        ["AllMembers"] = "All Project Members",
        ["NoOne"] = "No One",
    };

    private static readonly Dictionary<string, string> MatchLabels = ValueMatch.Operators.ToDictionary(o => o.Id, o => o.Label, StringComparer.Ordinal);

    private static readonly Dictionary<string, RuleNodeDefinition> Definitions = new RuleNodeDefinition[]
    {
        new(RuleNodeIds.FirstSeen, RuleNodeKind.Condition, _ => "A new issue is created",
            compile: (_, rule) => new TransitionCondition(TransitionCondition.Kind.FirstSeen, rule.Environment is not null)),
        new(RuleNodeIds.Regression, RuleNodeKind.Condition, _ => "The issue changes state from resolved to unresolved",
            compile: (_, _) => new TransitionCondition(TransitionCondition.Kind.Regression, false)),
        new(RuleNodeIds.Reappeared, RuleNodeKind.Condition, _ => "The issue changes state from ignored to unresolved",
            compile: (_, _) => new TransitionCondition(TransitionCondition.Kind.Reappeared, false)),
        new(RuleNodeIds.EventFrequency, RuleNodeKind.Condition, n => FrequencyLabel(n, "The issue is seen more than {0} times in {1}", Intervals),
            (n, _) => FrequencyForm(n, Intervals, integer: true),
            (n, _) => Frequency(n, users: false)),
        new(RuleNodeIds.EventUniqueUserFrequency, RuleNodeKind.Condition, n => FrequencyLabel(n, "The issue is seen by more than {0} users in {1}", Intervals),
            (n, _) => FrequencyForm(n, Intervals, integer: true),
            (n, _) => Frequency(n, users: true)),
        new(RuleNodeIds.EventFrequencyPercent, RuleNodeKind.Condition, n => FrequencyLabel(n, "The issue affects more than {0} percent of sessions in {1}", SessionIntervals),
            (n, _) => FrequencyForm(n, SessionIntervals, integer: false),
            (_, _) => new NeverCondition("event_frequency_percent")),

        new(RuleNodeIds.AgeComparison, RuleNodeKind.Filter,
            n => $"The issue is {NodeForm.Text(n, "comparison_type")} than {NodeForm.Text(n, "value")} {AgeUnits.GetValueOrDefault(NodeForm.Text(n, "time") ?? "", "")}",
            (n, _) => NodeForm.First(
                NodeForm.Choice(n, "comparison_type", ["older", "newer"]),
                NodeForm.Integer(n, "value"),
                NodeForm.Choice(n, "time", AgeUnits.Keys)),
            (n, _) => new AgeComparisonFilter(NodeForm.Text(n, "comparison_type") == "older", AgeSpan(NodeForm.Text(n, "time"), NodeForm.IntegerValue(n, "value")))),
        new(RuleNodeIds.IssueOccurrences, RuleNodeKind.Filter,
            n => $"The issue has happened at least {NodeForm.Text(n, "value")} times",
            (n, _) => NodeForm.Integer(n, "value"),
            (n, _) => new IssueOccurrencesFilter(NodeForm.IntegerValue(n, "value"))),
        new(RuleNodeIds.AssignedTo, RuleNodeKind.Filter,
            n => $"The issue is assigned to {AssigneeTypes.GetValueOrDefault(NodeForm.Text(n, "targetType") ?? "", "")}",
            (n, _) => NodeForm.First(
                NodeForm.Choice(n, "targetType", AssigneeTypes.Keys),
                NodeForm.Text(n, "targetType") is "Team" or "Member" ? NodeForm.Integer(n, "targetIdentifier") : null),
            (n, _) => new AssignedToFilter(NodeForm.Text(n, "targetType") ?? "")),
        new(RuleNodeIds.LatestRelease, RuleNodeKind.Filter, _ => "The event is from the latest release",
            compile: (_, _) => new LatestReleaseFilter()),
        new(RuleNodeIds.Level, RuleNodeKind.Filter,
            n => $"The event's level is {LevelMatches.GetValueOrDefault(NodeForm.Text(n, "match") ?? "", "")} {Levels.GetValueOrDefault(NodeForm.Text(n, "level") ?? "", "")}",
            (n, _) => NodeForm.First(NodeForm.Choice(n, "match", LevelMatches.Keys), NodeForm.Choice(n, "level", Levels.Keys)),
            (n, _) => new LevelFilter(NodeForm.Text(n, "match")!, int.Parse(NodeForm.Text(n, "level")!, CultureInfo.InvariantCulture))),
        new(RuleNodeIds.TaggedEvent, RuleNodeKind.Filter,
            n => MatchLabel(n, $"The event's tags match {NodeForm.Text(n, "key")}"),
            (n, _) => NodeForm.First(NodeForm.String(n, "key"), MatchForm(n)),
            (n, _) => new TaggedEventFilter(NodeForm.Text(n, "key")!, NodeForm.Text(n, "match")!, NodeForm.Text(n, "value") ?? "")),
        new(RuleNodeIds.EventAttribute, RuleNodeKind.Filter,
            n => MatchLabel(n, $"The event's {NodeForm.Text(n, "attribute")} value"),
            (n, _) => NodeForm.First(NodeForm.Choice(n, "attribute", EventAttributeFilter.Attributes.ToArray()), MatchForm(n)),
            (n, _) => new EventAttributeFilter(NodeForm.Text(n, "attribute")!, NodeForm.Text(n, "match")!, NodeForm.Text(n, "value") ?? "")),

        new(RuleNodeIds.NotifyEventService, RuleNodeKind.Action,
            n => $"Send a notification via {NodeForm.Text(n, "service")}",
            (n, check) => NodeForm.Choice(n, "service", check.EnabledServices)),
        new(RuleNodeIds.NotifyEmail, RuleNodeKind.Action,
            n => $"Send a notification to {EmailTargets.GetValueOrDefault(NodeForm.Text(n, "targetType") ?? "", "")} and if none can be found then send a notification to {Fallthroughs.GetValueOrDefault(NodeForm.Text(n, "fallthroughType") ?? "", "")}",
            EmailForm),
        new(RuleNodeIds.NotifyEvent, RuleNodeKind.Action, _ => "Send a notification (for all legacy integrations)"),
    }.ToDictionary(d => d.Id, StringComparer.Ordinal);

    /// <summary>Every known node.</summary>
    public static IEnumerable<RuleNodeDefinition> All => Definitions.Values;

    /// <summary>The node with Sentry id <paramref name="id"/>, or null.</summary>
    public static RuleNodeDefinition? Find(string id) => Definitions.GetValueOrDefault(id);

    private static string? FrequencyForm(JsonObject node, IReadOnlyDictionary<string, (string Label, TimeSpan Span)> intervals, bool integer)
    {
        var error = NodeForm.First(
            NodeForm.Choice(node, "interval", intervals.Keys.ToArray()),
            integer ? NodeForm.Integer(node, "value") : NodeForm.Number(node, "value"),
            NodeForm.Choice(node, "comparisonType", ComparisonTypes, required: false),
            NodeForm.Choice(node, "comparisonInterval", ComparisonIntervals.Keys.ToArray(), required: false));
        if (error is not null)
        {
            return error;
        }

        if (NodeForm.Text(node, "comparisonType") == "percent" && NodeForm.Text(node, "comparisonInterval") is null)
        {
            return "comparisonInterval is required when comparing by percent";
        }

        return null;
    }

    private static FrequencyCondition Frequency(JsonObject node, bool users)
    {
        var interval = Intervals[NodeForm.Text(node, "interval")!].Span;
        TimeSpan? comparison = NodeForm.Text(node, "comparisonType") == "percent"
            ? ComparisonIntervals[NodeForm.Text(node, "comparisonInterval")!].Span
            : null;
        return new FrequencyCondition(users, NodeForm.NumberValue(node, "value"), interval, comparison);
    }

    private static string FrequencyLabel(JsonObject node, string template, IReadOnlyDictionary<string, (string Label, TimeSpan Span)> intervals)
    {
        var value = NodeForm.Text(node, "value") ?? "";
        var interval = NodeForm.Text(node, "interval") is { } i && intervals.TryGetValue(i, out var known) ? known.Label : NodeForm.Text(node, "interval") ?? "";
        if (NodeForm.Text(node, "comparisonType") == "percent" && NodeForm.Text(node, "comparisonInterval") is { } c && ComparisonIntervals.TryGetValue(c, out var ago))
        {
            value += "% higher";
            interval += " in comparison to " + ago.Label;
        }

        return string.Format(CultureInfo.InvariantCulture, template, value, interval);
    }

    private static string? MatchForm(JsonObject node)
    {
        var error = NodeForm.Choice(node, "match", MatchLabels.Keys);
        if (error is not null)
        {
            return error;
        }

        return ValueMatch.IsPresence(NodeForm.Text(node, "match")!) ? null : NodeForm.String(node, "value");
    }

    private static string MatchLabel(JsonObject node, string prefix)
    {
        var match = NodeForm.Text(node, "match") ?? "";
        var label = $"{prefix} {MatchLabels.GetValueOrDefault(match, match)}";
        return ValueMatch.IsPresence(match) ? label : $"{label} {NodeForm.Text(node, "value")}";
    }

    private static TimeSpan AgeSpan(string? unit, long value)
    {
        var one = unit switch
        {
            "minute" => TimeSpan.FromMinutes(1),
            "hour" => TimeSpan.FromHours(1),
            "day" => TimeSpan.FromDays(1),
            _ => TimeSpan.FromDays(7),
        };

        // Clamped to 5,000 years: a huge value means "never older" (or "always newer"), not an overflow.
        var limit = TimeSpan.FromDays(365 * 5000);
        return value >= limit / one ? limit : one * value;
    }

    private static string? EmailForm(JsonObject node, RuleNodeCheck check)
    {
        var error = NodeForm.First(
            NodeForm.Choice(node, "targetType", EmailTargets.Keys),
            NodeForm.Choice(node, "fallthroughType", Fallthroughs.Keys, required: false));
        if (error is not null)
        {
            return error;
        }

        if (NodeForm.Text(node, "targetType") is "Team" or "Member")
        {
            if (NodeForm.Integer(node, "targetIdentifier", min: 1) is { } identifier)
            {
                return identifier;
            }

            // Sentry serializes the identifier of a team or member as a string.
            node["targetIdentifier"] = NodeForm.Text(node, "targetIdentifier");
        }

        // Sentry's serializer adds the fallthrough a rule was saved without.
        if (NodeForm.Text(node, "fallthroughType") is null)
        {
            node["fallthroughType"] = "ActiveMembers";
        }

        return null;
    }
}
