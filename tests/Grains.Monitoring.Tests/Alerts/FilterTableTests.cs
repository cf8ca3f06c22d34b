using Grains.Monitoring.Alerts.Rules;
using static Grains.Monitoring.Tests.Alerts.RuleEvaluationFixtures;

namespace Grains.Monitoring.Tests.Alerts;

/// <summary>Each filter of reference §3.1 with its operators.</summary>
public sealed class FilterTableTests
{
    [Theory]
    // comparison, value, unit, issue age, passes (older: first_seen + span before now; newer: after)
    [InlineData("older", 10, "minute", "00:11:00", true)]
    [InlineData("older", 10, "minute", "00:09:00", false)]
    [InlineData("older", 10, "minute", "00:10:00", false)]
    [InlineData("newer", 10, "minute", "00:09:00", true)]
    [InlineData("newer", 10, "minute", "00:11:00", false)]
    [InlineData("older", 2, "hour", "03:00:00", true)]
    [InlineData("newer", 1, "day", "20:00:00", true)]
    [InlineData("older", 1, "week", "8.00:00:00", true)]
    [InlineData("older", 1, "week", "6.00:00:00", false)]
    [InlineData("older", 999999999999, "week", "6.00:00:00", false)]
    public void Age_comparison(string comparison, long value, string unit, string age, bool passes)
    {
        var filter = Node(RuleNodeIds.AgeComparison, ("comparison_type", comparison), ("value", value), ("time", unit));

        Assert.Equal(passes, FilterPasses(filter, Context(firstSeen: Now - TimeSpan.Parse(age, System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Theory]
    [InlineData(5, 5, true)]
    [InlineData(5, 4, false)]
    [InlineData(1, 1, true)]
    [InlineData(0, 1, true)]
    public void Issue_occurrences_counts_this_event(int value, long timesSeen, bool passes) =>
        Assert.Equal(passes, FilterPasses(Node(RuleNodeIds.IssueOccurrences, ("value", value)), Context(timesSeen: timesSeen)));

    [Theory]
    [InlineData("eq", "40", "error", true)]
    [InlineData("eq", "40", "warning", false)]
    [InlineData("gte", "40", "fatal", true)]
    [InlineData("gte", "40", "error", true)]
    [InlineData("gte", "40", "warning", false)]
    [InlineData("lte", "30", "info", true)]
    [InlineData("lte", "30", "warning", true)]
    [InlineData("lte", "30", "error", false)]
    [InlineData("gte", "10", "debug", true)]
    [InlineData("gte", "0", "nonsense", false)]
    public void Level(string match, string level, string eventLevel, bool passes) =>
        Assert.Equal(passes, FilterPasses(Node(RuleNodeIds.Level, ("match", match), ("level", level)), Context(Event(level: eventLevel))));

    [Theory]
    // match, rule value, tag value (null = tag absent), passes
    [InlineData("eq", "Chrome", "chrome", true)]
    [InlineData("eq", "chrome", "firefox", false)]
    [InlineData("ne", "chrome", "firefox", true)]
    [InlineData("ne", "chrome", "Chrome", false)]
    [InlineData("ne", "chrome", null, true)]
    [InlineData("sw", "chr", "Chrome 120", true)]
    [InlineData("sw", "120", "Chrome 120", false)]
    [InlineData("nsw", "chr", "Chrome 120", false)]
    [InlineData("nsw", "fire", "Chrome 120", true)]
    [InlineData("ew", "120", "Chrome 120", true)]
    [InlineData("ew", "chrome", "Chrome 120", false)]
    [InlineData("new", "120", "Chrome 120", false)]
    [InlineData("new", "121", "Chrome 120", true)]
    [InlineData("co", "ome 1", "Chrome 120", true)]
    [InlineData("co", "safari", "Chrome 120", false)]
    [InlineData("nc", "safari", "Chrome 120", true)]
    [InlineData("nc", "rom", "Chrome 120", false)]
    [InlineData("nc", "rom", null, true)]
    [InlineData("is", "", "Chrome", true)]
    [InlineData("is", "", null, false)]
    [InlineData("ns", "", null, true)]
    [InlineData("ns", "", "Chrome", false)]
    [InlineData("in", "firefox, chrome ,safari", "Chrome", true)]
    [InlineData("in", "firefox,safari", "Chrome", false)]
    [InlineData("nin", "firefox,safari", "Chrome", true)]
    [InlineData("nin", "firefox,chrome", "Chrome", false)]
    [InlineData("eq", "chrome", null, false)]
    public void Tagged_event(string match, string value, string? tag, bool passes)
    {
        var facts = tag is null ? Event(tags: [("os", "Linux")]) : Event(tags: [("os", "Linux"), ("Browser", tag)]);
        var filter = Node(RuleNodeIds.TaggedEvent, ("key", "browser"), ("match", match), ("value", value));

        Assert.Equal(passes, FilterPasses(filter, Context(facts)));
    }

    private const string EventJson = """
        {
          "event_id": "0123456789abcdef0123456789abcdef",
          "exception": {"values": [
            {"type": "ValueError", "value": "bad input", "mechanism": {"type": "generic", "handled": false},
             "stacktrace": {"frames": [
               {"filename": "app/models.py", "abs_path": "/srv/app/models.py", "module": "app.models", "context_line": "raise ValueError('bad input')", "package": "/srv/app"}
             ]}},
            {"type": "KeyError", "value": "'id'", "mechanism": {"type": "generic", "handled": true}}
          ]},
          "user": {"id": "42", "email": "Jane@Example.com", "username": "jane", "ip_address": "10.0.0.1"},
          "request": {"method": "POST", "url": "https://shop.example.com/checkout"},
          "contexts": {"response": {"status_code": 502}},
          "sdk": {"name": "sentry.python", "version": "2.0.0"}
        }
        """;

    [Theory]
    [InlineData("message", "co", "checkout", true)]
    [InlineData("message", "eq", "nope", false)]
    [InlineData("platform", "eq", "javascript", true)]
    [InlineData("environment", "eq", "production", true)]
    [InlineData("type", "eq", "error", true)]
    [InlineData("exception.type", "eq", "keyerror", true)]
    [InlineData("exception.type", "eq", "TypeError", false)]
    [InlineData("exception.value", "sw", "bad", true)]
    [InlineData("error.handled", "eq", "false", true)]
    [InlineData("error.handled", "eq", "true", true)]
    [InlineData("error.unhandled", "eq", "true", true)]
    [InlineData("error.main_thread", "is", "", false)]
    [InlineData("user.id", "eq", "42", true)]
    [InlineData("user.email", "eq", "jane@example.com", true)]
    [InlineData("user.username", "ne", "jane", false)]
    [InlineData("user.ip_address", "sw", "10.", true)]
    [InlineData("user.segment", "ns", "", true)]
    [InlineData("http.method", "eq", "post", true)]
    [InlineData("http.url", "co", "/checkout", true)]
    [InlineData("http.status_code", "eq", "502", true)]
    [InlineData("http.status_code", "in", "500,502,503", true)]
    [InlineData("sdk.name", "eq", "sentry.python", true)]
    [InlineData("stacktrace.filename", "ew", "models.py", true)]
    [InlineData("stacktrace.abs_path", "sw", "/srv", true)]
    [InlineData("stacktrace.module", "eq", "app.models", true)]
    [InlineData("stacktrace.code", "co", "raise valueerror", true)]
    [InlineData("stacktrace.package", "eq", "/srv/app", true)]
    [InlineData("stacktrace.package", "eq", "/opt/app", false)]
    public void Event_attribute(string attribute, string match, string value, bool passes)
    {
        var filter = Node(RuleNodeIds.EventAttribute, ("attribute", attribute), ("match", match), ("value", value));

        Assert.Equal(passes, FilterPasses(filter, Context(json: EventJson)));
    }

    [Fact]
    public void The_event_json_is_parsed_once_and_only_for_an_attribute_that_needs_it()
    {
        var context = Context(json: EventJson);
        var facts = Rule([], [Node(RuleNodeIds.EventAttribute, ("attribute", "platform"), ("match", "eq"), ("value", "javascript"))]);
        Assert.True(Fires(facts, context));
        Assert.Equal(0, context.EventJson.Parses);

        var user = Rule([], [Node(RuleNodeIds.EventAttribute, ("attribute", "user.id"), ("match", "eq"), ("value", "42"))], id: 2);
        var sdk = Rule([], [Node(RuleNodeIds.EventAttribute, ("attribute", "sdk.name"), ("match", "eq"), ("value", "sentry.python"))], id: 3);
        Assert.Equal(2, Grains.Monitoring.Alerts.Evaluation.RuleEvaluator.Evaluate([user, sdk], context, new Dictionary<long, DateTimeOffset>()).Count);
        Assert.Equal(1, context.EventJson.Parses);
    }

    [Theory]
    [InlineData("{not json", false)]
    [InlineData("[1, 2]", false)]
    [InlineData("{}", false)]
    public void A_stored_event_that_is_not_an_object_has_no_attributes(string json, bool passes)
    {
        var filter = Node(RuleNodeIds.EventAttribute, ("attribute", "user.id"), ("match", "is"), ("value", ""));

        Assert.Equal(passes, FilterPasses(filter, Context(json: json)));
    }

    [Theory]
    [InlineData("2.0.0", "2.0.0", true)]
    [InlineData("1.0.0", "2.0.0", false)]
    [InlineData(null, "2.0.0", false)]
    [InlineData("2.0.0", null, false)]
    public void Latest_release(string? eventRelease, string? latest, bool passes) =>
        Assert.Equal(passes, FilterPasses(Node(RuleNodeIds.LatestRelease), Context(Event(release: eventRelease), latestRelease: latest)));

    [Theory]
    [InlineData("Unassigned", true)]
    [InlineData("Team", false)]
    [InlineData("Member", false)]
    public void Assigned_to_sees_every_issue_unassigned(string targetType, bool passes) =>
        Assert.Equal(passes, FilterPasses(Node(RuleNodeIds.AssignedTo, ("targetType", targetType), ("targetIdentifier", 3)), Context()));
}
