using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping;

namespace Grains.Monitoring.Tests.Grouping;

public class EventMetadataDeriverTests
{
    private static EventMetadata Derive(string json)
    {
        var evt = (JsonObject)JsonNode.Parse(json)!;
        return EventMetadataDeriver.Derive(evt, grouping: GroupingEngine.Compute(evt));
    }

    [Fact]
    public void Error_title_and_culprit_come_from_the_main_exception()
    {
        var metadata = Derive("""
            {"platform": "python", "exception": {"values": [{"type": "ValueError", "value": "bad input\nsecond line",
              "stacktrace": {"frames": [{"module": "lib.x", "function": "inner", "filename": "x.py", "in_app": false},
                                        {"module": "app.views", "function": "index", "filename": "views.py", "in_app": true}]}}]}}
            """);
        Assert.Equal("ValueError: bad input", metadata.Title);
        Assert.Equal("app.views in index", metadata.Culprit);
        Assert.Equal(("ValueError", "views.py", "index"), (metadata.Type, metadata.Filename, metadata.Function));
    }

    [Fact]
    public void Javascript_culprit_uses_function_then_module()
    {
        var metadata = Derive("""
            {"platform": "javascript", "exception": {"values": [{"type": "TypeError", "value": "x is undefined",
              "stacktrace": {"frames": [{"function": "render", "filename": "app.js", "in_app": true}]}}]}}
            """);
        Assert.Equal("render(app.js)", metadata.Culprit);
    }

    [Theory]
    [InlineData(null, "Order 1234 could not be shipped")]
    [InlineData("SIGSEGV", "crash_here")]
    public void Synthetic_exceptions_are_titled_by_their_message_when_untyped_else_by_the_crash_function(string? type, string expected)
    {
        var typeJson = type is null ? "null" : $"\"{type}\"";
        var metadata = Derive($$$"""
            {"platform": "node", "logentry": {"formatted": "Order 1234 could not be shipped"},
             "exception": {"values": [{"type": {{{typeJson}}}, "value": "Order 1234 could not be shipped", "mechanism": {"type": "generic", "synthetic": true},
              "stacktrace": {"frames": [{"function": "crash_here", "filename": "/app/x.js", "in_app": true}]}}]}}
            """);
        Assert.Equal(expected, metadata.Title);
        Assert.Null(metadata.Type);
    }

    [Fact]
    public void Message_events_use_the_first_line_and_sdk_culprit_wins()
    {
        var metadata = Derive("""{"culprit": "my.view", "logentry": {"formatted": "Something happened\nmore"}}""");
        Assert.Equal("Something happened", metadata.Title);
        Assert.Equal("my.view", metadata.Culprit);
        Assert.Equal("<unlabeled event>", Derive("{}").Title);
    }

    [Fact]
    public void Long_titles_are_truncated_and_groups_title_by_the_reduced_exception()
    {
        var longValue = new string('x', 300);
        Assert.Equal(100, Derive($$$"""{"exception": {"type": "E", "value": "{{{longValue}}}"}}""").Title.Length);

        var input = (JsonObject)JsonNode.Parse(File.ReadAllText(Path.Combine(GroupingFixtures.FixtureRoot, "inputs", "exception-groups-two-types-under-nested-groups.json")))!;
        var result = GroupingEngine.Compute(input);
        Assert.Equal("System.AggregateException: One or more errors occurred.", EventMetadataDeriver.Derive(input, grouping: result).Title);
    }
}
