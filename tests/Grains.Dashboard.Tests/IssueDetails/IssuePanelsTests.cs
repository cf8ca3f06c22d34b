using System.Text.Json.Nodes;
using Grains.Server.Dashboard.IssueDetails;

namespace Grains.Dashboard.Tests.IssueDetails;

public sealed class IssuePanelsTests : IssueDetailsTestContext
{
    [Fact]
    public void Grouping_info_shows_the_contributing_variant_and_hides_the_rest_until_asked()
    {
        var info = JsonNode.Parse("""
            {"grouping_config":"newstyle:2023-01-11","hashes":["abc"],"variants":{
              "app":{"key":"app","type":"component","description":"in-app exception stack-trace","hash":"abc","contributes":true,"hint":null,
                "component":{"id":"app","name":"app","contributes":true,"hint":null,"values":[
                  {"id":"exception","name":"exception","contributes":true,"hint":null,"values":[
                    {"id":"type","name":"type","contributes":true,"hint":null,"values":["TypeError"]},
                    {"id":"value","name":"value","contributes":false,"hint":"ignored because stack trace takes precedence","values":["x is undefined"]}]}]}},
              "system":{"key":"system","type":"component","description":"exception stack-trace","hash":"def","contributes":false,"hint":"ignored because app variant is used"}}}
            """)!.AsObject();

        var view = Render<GroupingInfo>(p => p.Add(c => c.Info, info));

        var variant = Assert.Single(view.FindAll("[data-testid=grouping-variant]"));
        Assert.Equal("app", variant.GetAttribute("data-variant"));
        Assert.Equal("abc", view.Find("[data-testid=grouping-hash]").TextContent);
        Assert.Contains("TypeError", variant.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("x is undefined", variant.TextContent, StringComparison.Ordinal);

        view.Find("[data-testid=grouping-show-all]").Change(true);

        Assert.Equal(["app", "system"], view.FindAll("[data-testid=grouping-variant]").Select(v => v.GetAttribute("data-variant")));
        Assert.Contains("x is undefined", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Activity_items_say_what_happened_and_a_comment_is_raised_then_cleared()
    {
        var activities = JsonNode.Parse("""
            [{"id":"3","type":"note","data":{"text":"looking into it"},"dateCreated":"2026-12-04T12:02:00.000000Z"},
             {"id":"2","type":"set_ignored","data":{"ignoreCount":100,"ignoreWindow":null,"ignoreUntil":null,"ignoreUserCount":null,"ignoreUserWindow":null},"dateCreated":"2026-12-04T12:01:00.000000Z"},
             {"id":"1","type":"set_resolved_in_release","data":{"version":""},"dateCreated":"2026-12-04T12:00:00.000000Z"}]
            """)!.AsArray();
        string? comment = null;

        var view = Render<ActivityLog>(p => p
            .Add(c => c.Activities, activities)
            .Add(c => c.CanComment, true)
            .Add(c => c.OnComment, (string text) => comment = text));

        Assert.Equal(
            ["looking into it", "Archived until it occurs 100 more times", "Marked as resolved in the next release"],
            view.FindAll("[data-testid=activity-item] .grains-activity-text").Select(i => i.TextContent));

        view.Find("[data-testid=comment-text]").Input("on it");
        view.Find("form").Submit();

        Assert.Equal("on it", comment);
        Assert.Equal("", view.Find("[data-testid=comment-text]").GetAttribute("value") ?? "");
    }

    [Fact]
    public void Contexts_come_browser_os_runtime_device_first_with_user_request_and_sdk()
    {
        var evt = JsonNode.Parse("""
            {"user":{"id":"42","email":"a@example.com"},
             "sdk":{"name":"sentry.javascript.node","version":"10.0.0"},
             "contexts":{"app":{"type":"app","app_name":"web"},"runtime":{"type":"runtime","name":"node","version":"v22"},"os":{"type":"os","name":"Linux"},"browser":{"type":"browser","name":"Chrome"}},
             "entries":[{"type":"request","data":{"method":"POST","url":"https://example.com/api","query":[["a","1"]],"headers":[["Accept","*/*"]]}}]}
            """)!.AsObject();

        var view = Render<EventContexts>(p => p.Add(c => c.Event, evt));

        Assert.Equal(
            ["context-browser", "context-os", "context-runtime", "context-app"],
            view.FindAll("[data-testid^=context-]").Select(c => c.GetAttribute("data-testid")));
        Assert.Contains("a@example.com", view.Find("[data-testid=event-user]").TextContent, StringComparison.Ordinal);
        Assert.Contains("POST https://example.com/api", view.Find("[data-testid=event-request]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Accept", view.Find("[data-testid=event-request-headers]").TextContent, StringComparison.Ordinal);
        Assert.Contains("sentry.javascript.node", view.Find("[data-testid=event-sdk]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("type", view.Find("[data-testid=context-os]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_events_chart_totals_the_period_shown()
    {
        var hourly = Enumerable.Range(0, 24).Select(i => (1_764_800_000L + (i * 3600), (long)i)).ToList();
        var daily = Enumerable.Range(0, 30).Select(i => (1_762_300_000L + (i * 86400), 2L)).ToList();

        var view = Render<EventsChart>(p => p.Add(c => c.Hourly, hourly).Add(c => c.Daily, daily));

        Assert.Equal("276 events in the last 24 hours", view.Find("[data-testid=events-chart-total]").TextContent.Trim());
        view.Find("[data-testid=chart-30d]").Click();
        Assert.Equal("60 events in the last 30 days", view.Find("[data-testid=events-chart-total]").TextContent.Trim());
    }
}
