using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Evaluation;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Events;
using Grains.Monitoring.Issues.Workflow;

namespace Grains.Monitoring.Tests.Alerts;

/// <summary>Events, rules and counts for the evaluator tables.</summary>
internal static class RuleEvaluationFixtures
{
    public static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static EventFacts Event(string level = "error", string? environment = "production", string? release = "1.0.0", params (string Key, string Value)[] tags) => new()
    {
        ProjectId = 1,
        EventId = "0123456789abcdef0123456789abcdef",
        Timestamp = Now,
        Received = Now,
        Hashes = ["h"],
        GroupingConfigId = "newstyle:2023-01-11",
        Title = "TypeError: boom",
        Level = level,
        Platform = "javascript",
        Environment = environment,
        Release = release,
        Message = "Something broke in checkout",
        Tags = [.. tags.Select(t => KeyValuePair.Create(t.Key, t.Value))],
    };

    public static RuleEvaluationContext Context(
        EventFacts? facts = null,
        IssueTransition? transition = null,
        long timesSeen = 5,
        DateTimeOffset? firstSeen = null,
        IIssueRates? rates = null,
        string? latestRelease = null,
        bool newInEnvironment = false,
        string? json = null) => new()
    {
        Event = facts ?? Event(),
        Transition = transition ?? new IssueTransition(false, false, false),
        IssueTimesSeen = timesSeen,
        IssueFirstSeen = firstSeen ?? Now.AddDays(-1),
        Rates = rates ?? new FakeRates(),
        LatestRelease = latestRelease,
        IsNewInEnvironment = newInEnvironment,
        EventJson = new EventJsonView(json is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(json)),
    };

    public static JsonObject Node(string id, params (string Key, JsonNode? Value)[] fields)
    {
        var node = new JsonObject { ["id"] = id };
        foreach (var (key, value) in fields)
        {
            node[key] = value;
        }

        return node;
    }

    public static CompiledRule Rule(
        JsonObject[]? conditions = null,
        JsonObject[]? filters = null,
        string actionMatch = "all",
        string filterMatch = "all",
        int frequency = 30,
        string? environment = null,
        long id = 1,
        string status = RuleStatus.Active) => CompiledRule.Compile(new AlertRule
    {
        Id = id,
        ProjectId = 1,
        Label = "rule " + id,
        Environment = environment,
        Status = status,
        ActionMatch = actionMatch,
        FilterMatch = filterMatch,
        Frequency = frequency,
        ConditionsJson = new JsonArray([.. (conditions ?? []).Select(c => (JsonNode)c.DeepClone())]).ToJsonString(),
        FiltersJson = new JsonArray([.. (filters ?? []).Select(c => (JsonNode)c.DeepClone())]).ToJsonString(),
        ActionsJson = $$"""[{"id":"{{RuleNodeIds.NotifyEvent}}"}]""",
    });

    /// <summary>Whether <paramref name="rule"/> fires in <paramref name="context"/> (never fired before).</summary>
    public static bool Fires(CompiledRule rule, RuleEvaluationContext context) =>
        RuleEvaluator.Evaluate([rule], context, new Dictionary<long, DateTimeOffset>()).Count == 1;

    /// <summary>A filter node alone in a rule without conditions (which "all" accepts).</summary>
    public static bool FilterPasses(JsonObject filter, RuleEvaluationContext context) =>
        RuleEvaluator.Evaluate([Rule([], [filter])], context, new Dictionary<long, DateTimeOffset>()).Count == 1;

    /// <summary>Counts from a list of events (timestamp, user), as the issue grain's rates would give them.</summary>
    internal sealed class FakeRates(params (DateTimeOffset At, string? User)[] events) : IIssueRates
    {
        public int Reads { get; private set; }

        public long EventsBetween(DateTimeOffset from, DateTimeOffset to)
        {
            Reads++;
            return events.Count(e => e.At >= from && e.At < to);
        }

        public long UsersBetween(DateTimeOffset from, DateTimeOffset to)
        {
            Reads++;
            return events.Where(e => e.At >= from && e.At < to && e.User is not null).Select(e => e.User).Distinct().Count();
        }
    }
}
