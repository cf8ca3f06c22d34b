using System.Text.Json.Nodes;
using Grains.Server.Dashboard.IssueDetails;

namespace Grains.Dashboard.Tests.IssueDetails;

public sealed class StackTraceTests : IssueDetailsTestContext
{
    // Sentry's order: the oldest call first, the crashing frame last.
    private static JsonObject Trace(params JsonObject[] frames) => new() { ["frames"] = new JsonArray([.. frames]) };

    private static JsonObject Frame(string function, bool inApp, long? line = null, JsonArray? context = null)
    {
        var frame = new JsonObject { ["filename"] = function + ".js", ["function"] = function, ["inApp"] = inApp, ["lineNo"] = line };
        if (context is not null)
        {
            frame["context"] = context;
        }

        return frame;
    }

    private static JsonArray Context(long first, params string[] lines) =>
        new([.. lines.Select((l, i) => (JsonNode)new JsonArray(first + i, l))]);

    [Fact]
    public void In_app_frames_are_marked_and_system_frames_fold_between_them()
    {
        var trace = Trace(
            Frame("main", inApp: false),
            Frame("runLoop", inApp: false),
            Frame("handler", inApp: true, 10, Context(9, "a", "b", "c")),
            Frame("lib1", inApp: false),
            Frame("lib2", inApp: false),
            Frame("crash", inApp: true, 20));

        var view = Render<StackTrace>(p => p.Add(c => c.Stacktrace, trace));

        var frames = view.FindAll("[data-testid=stack-frame]");
        Assert.Equal(["crash.js", "handler.js"], frames.Select(f => f.QuerySelector(".grains-frame-file")!.TextContent));
        Assert.All(frames, f => Assert.Equal("true", f.GetAttribute("data-in-app")));
        Assert.All(frames, f => Assert.Contains("grains-frame-in-app", f.ClassName, StringComparison.Ordinal));
        Assert.All(frames, f => Assert.Contains("In app", f.TextContent, StringComparison.Ordinal));
        var runs = view.FindAll("[data-testid=system-frames-toggle]");
        Assert.Equal(["2 system frames", "2 system frames"], runs.Select(r => r.TextContent.Trim()));
    }

    [Fact]
    public void A_folded_run_opens_on_click_and_show_all_unfolds_every_run()
    {
        var trace = Trace(Frame("main", inApp: false), Frame("handler", inApp: true), Frame("lib", inApp: false));
        var view = Render<StackTrace>(p => p.Add(c => c.Stacktrace, trace));
        Assert.Single(view.FindAll("[data-testid=stack-frame]"));

        view.FindAll("[data-testid=system-frames-toggle]")[0].Click();

        var frames = view.FindAll("[data-testid=stack-frame]");
        Assert.Equal(["lib.js", "handler.js"], frames.Select(f => f.QuerySelector(".grains-frame-file")!.TextContent));
        Assert.Equal("false", frames[0].GetAttribute("data-in-app"));
        Assert.Contains("grains-frame-system", frames[0].ClassName, StringComparison.Ordinal);

        view.Find("[data-testid=show-all-frames]").Change(true);

        Assert.Equal(3, view.FindAll("[data-testid=stack-frame]").Count);
        Assert.Empty(view.FindAll("[data-testid=system-frames-toggle]"));
    }

    [Fact]
    public void Context_lines_carry_their_line_numbers_and_mark_the_frames_line()
    {
        var trace = Trace(Frame("handler", inApp: true, 42, Context(40, "const a = 1;", "const b = 2;", "throw new Error('x');", "}")));

        var view = Render<StackTrace>(p => p.Add(c => c.Stacktrace, trace));

        var rows = view.FindAll("[data-testid=stack-frame] tr");
        Assert.Equal(["40", "41", "42", "43"], rows.Select(r => r.GetAttribute("data-line")));
        Assert.Equal(["40", "41", "42", "43"], rows.Select(r => r.QuerySelector(".grains-line-no")!.TextContent));
        Assert.Equal("throw new Error('x');", rows[2].QuerySelector("pre")!.TextContent);
        var current = Assert.Single(view.FindAll(".grains-context-current"));
        Assert.Equal("42", current.GetAttribute("data-line"));
        Assert.Contains("at line 42", view.Find("[data-testid=stack-frame]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_frame_without_context_shows_its_location_and_no_source()
    {
        var trace = Trace(Frame("handler", inApp: true, 7));

        var view = Render<StackTrace>(p => p.Add(c => c.Stacktrace, trace));

        var frame = view.Find("[data-testid=stack-frame]");
        Assert.Contains("handler.js", frame.TextContent, StringComparison.Ordinal);
        Assert.Contains("at line 7", frame.TextContent, StringComparison.Ordinal);
        Assert.Empty(frame.QuerySelectorAll("table"));
        Assert.Empty(frame.QuerySelectorAll("[data-testid=frame-toggle]"));
    }

    [Fact]
    public void System_frames_show_their_context_only_when_opened()
    {
        var trace = Trace(Frame("lib", inApp: false, 5, Context(5, "x()")), Frame("handler", inApp: true, 9, Context(9, "y()")));
        var view = Render<StackTrace>(p => p.Add(c => c.Stacktrace, trace));
        view.Find("[data-testid=system-frames-toggle]").Click();

        var system = view.Find("[data-testid=stack-frame][data-in-app=false]");
        Assert.Empty(system.QuerySelectorAll("table"));
        system.QuerySelector("[data-testid=frame-toggle]")!.Click();

        Assert.Single(view.Find("[data-testid=stack-frame][data-in-app=false]").QuerySelectorAll("tr"));
        Assert.Single(view.Find("[data-testid=stack-frame][data-in-app=true]").QuerySelectorAll("tr"));
    }

    [Fact]
    public void A_trace_without_in_app_frames_shows_every_frame_and_opens_the_crash_site()
    {
        var trace = Trace(Frame("a", inApp: false, 1, Context(1, "a()")), Frame("b", inApp: false, 2, Context(2, "b()")));

        var view = Render<StackTrace>(p => p.Add(c => c.Stacktrace, trace));

        var frames = view.FindAll("[data-testid=stack-frame]");
        Assert.Equal(2, frames.Count);
        Assert.Empty(view.FindAll("[data-testid=system-frames-toggle]"));
        Assert.Single(frames[0].QuerySelectorAll("tr"));
        Assert.Empty(frames[1].QuerySelectorAll("tr"));
    }

    [Fact]
    public void No_frames_says_so()
    {
        var view = Render<StackTrace>(p => p.Add(c => c.Stacktrace, Trace()));

        Assert.Empty(view.FindAll("[data-testid=stack-frame]"));
        Assert.Contains("No stack frames", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exception_chain_shows_the_last_raised_exception_first()
    {
        var data = new JsonObject
        {
            ["values"] = new JsonArray(
                new JsonObject { ["type"] = "InnerError", ["value"] = "inner", ["stacktrace"] = Trace(Frame("inner", inApp: true)) },
                new JsonObject { ["type"] = "OuterError", ["value"] = "outer", ["mechanism"] = new JsonObject { ["type"] = "onerror", ["handled"] = false }, ["stacktrace"] = Trace(Frame("outer", inApp: true)) }),
        };

        var view = Render<ExceptionChain>(p => p.Add(c => c.Data, data));

        var sections = view.FindAll("[data-testid=exception]");
        Assert.Equal(["OuterError", "InnerError"], sections.Select(s => s.QuerySelector("h3")!.TextContent));
        Assert.Contains("Unhandled", sections[0].TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", sections[1].TextContent, StringComparison.Ordinal);
    }
}
