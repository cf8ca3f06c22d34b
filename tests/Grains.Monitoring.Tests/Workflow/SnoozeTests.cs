using System.Text.Json.Nodes;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Issues.Workflow;

namespace Grains.Monitoring.Tests.Workflow;

/// <summary>Archive conditions checked on each event (reference §2.2), and the timed transitions.</summary>
public sealed class SnoozeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly WorkflowOptions Options = new();

    public static TheoryData<string, IssueSnooze, int, string?, string, string?> Cases => new()
    {
        // name, snooze, events after archiving (one minute apart, users u0, u1, ... unless "same user"), user mode, status after, substatus after
        { "count without window: not yet", new IssueSnooze { Count = 3 }, 2, null, "ignored", "archived_until_condition_met" },
        { "count without window: reached", new IssueSnooze { Count = 3 }, 3, null, "unresolved", "escalating" },
        { "count with window: reached inside", new IssueSnooze { Count = 3, Window = 10 }, 3, null, "unresolved", "escalating" },
        { "count with window: spread too thin", new IssueSnooze { Count = 3, Window = 1 }, 5, null, "ignored", "archived_until_condition_met" },
        { "users without window: one user only", new IssueSnooze { UserCount = 2 }, 5, "same", "ignored", "archived_until_condition_met" },
        { "users without window: reached", new IssueSnooze { UserCount = 2 }, 2, null, "unresolved", "escalating" },
        { "users with window: reached", new IssueSnooze { UserCount = 2, UserWindow = 60 }, 2, null, "unresolved", "escalating" },
        { "users with window: spread too thin", new IssueSnooze { UserCount = 3, UserWindow = 1 }, 4, null, "ignored", "archived_until_condition_met" },
        { "until: passed", new IssueSnooze { Until = T0.AddMinutes(2) }, 3, null, "unresolved", "ongoing" },
        { "until: not yet", new IssueSnooze { Until = T0.AddHours(2) }, 3, null, "ignored", "archived_until_condition_met" },
        { "until escalating: below the floor", new IssueSnooze { UntilEscalating = true }, 5, null, "ignored", "archived_until_escalating" },
        { "until escalating: a burst", new IssueSnooze { UntilEscalating = true }, 30, null, "unresolved", "escalating" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Archive_conditions_are_checked_on_each_event(string name, IssueSnooze snooze, int events, string? users, string status, string? substatus)
    {
        var s = Issue();
        IssueWorkflow.Update(s, new IssueStatusUpdate("ignored", null, null) { Snooze = snooze }, T0);
        var reappeared = 0;
        for (var i = 1; i <= events && s.Status == "ignored"; i++)
        {
            // Events one minute apart, except the burst (one second apart).
            var at = snooze.UntilEscalating ? T0.AddSeconds(i) : T0.AddMinutes(i);
            var transition = Event(s, at, users == "same" ? "u0" : $"u{i}");
            reappeared += transition.HasReappeared ? 1 : 0;
        }

        Assert.True(status == s.Status, name);
        Assert.Equal(substatus, s.Substatus);
        Assert.Equal(status == "unresolved" ? 1 : 0, reappeared);
        Assert.Null(status == "unresolved" ? s.Snooze : null);
    }

    [Fact]
    public void A_count_snooze_shows_the_count_still_remaining()
    {
        var s = Issue();
        IssueWorkflow.Update(s, new IssueStatusUpdate("ignored", null, null) { Snooze = new IssueSnooze { Count = 5, UserCount = 3 } }, T0);
        Event(s, T0.AddMinutes(1), "a");
        Event(s, T0.AddMinutes(2), "a");
        var details = IssueWorkflow.StatusDetails(s);
        Assert.Equal(3, details["ignoreCount"]!.GetValue<long>());
        Assert.Equal(2, details["ignoreUserCount"]!.GetValue<long>());
        Assert.Null(details["ignoreWindow"]);
    }

    [Fact]
    public void Ignored_issues_never_regress_and_forever_stays_forever()
    {
        var s = Issue();
        IssueWorkflow.Update(s, new IssueStatusUpdate("ignored", null, null), T0);
        for (var i = 1; i <= 50; i++)
        {
            Assert.False(Event(s, T0.AddSeconds(i), "u").IsRegression);
        }

        Assert.Equal(("ignored", "archived_forever"), (s.Status, s.Substatus));
    }

    [Fact]
    public void A_plain_resolve_regresses_on_the_next_event_with_an_activity()
    {
        var s = Issue();
        IssueWorkflow.Update(s, new IssueStatusUpdate("resolved", null, null), T0);
        var activities = new List<(string Type, JsonObject Data)>();
        s.TimesSeen++;
        var transition = IssueWorkflow.OnEvent(s, "web@1.0.0", T0.AddMinutes(1), false, null, Options, (t, d) => activities.Add((t, d)));
        Assert.True(transition.IsRegression);
        Assert.True(transition.IsUnresolved);
        Assert.Equal(("unresolved", "regressed"), (s.Status, s.Substatus));
        Assert.Equal("set_regression", Assert.Single(activities).Type);
        Assert.Equal("web@1.0.0", activities[0].Data["version"]!.GetValue<string>());
    }

    [Fact]
    public void New_regressed_and_escalating_issues_become_ongoing_after_the_configured_time()
    {
        var options = new WorkflowOptions { OngoingAfter = TimeSpan.FromDays(7) };
        var s = Issue();
        Assert.Equal(T0 + options.OngoingAfter, IssueWorkflow.Due(s, options));
        Assert.Null(IssueWorkflow.OnSchedule(s, T0.AddDays(6), options));
        var change = IssueWorkflow.OnSchedule(s, T0.AddDays(7), options);
        Assert.Equal("auto_set_ongoing", change!.Value.Type);
        Assert.Equal(("unresolved", "ongoing"), (s.Status, s.Substatus));
        Assert.Null(IssueWorkflow.Due(s, options));

        IssueWorkflow.Update(s, new IssueStatusUpdate("ignored", null, null) { Snooze = new IssueSnooze { Until = T0.AddDays(8) } }, T0.AddDays(7));
        Assert.Equal(T0.AddDays(8), IssueWorkflow.Due(s, options));
        Assert.Equal("set_unresolved", IssueWorkflow.OnSchedule(s, T0.AddDays(8), options)!.Value.Type);
        Assert.Equal(("unresolved", "ongoing"), (s.Status, s.Substatus));
    }

    [Fact]
    public void Options_are_validated()
    {
        var validator = new WorkflowOptionsValidator();
        Assert.True(validator.Validate(null, new WorkflowOptions()).Succeeded);
        Assert.False(validator.Validate(null, new WorkflowOptions { OngoingAfter = TimeSpan.Zero }).Succeeded);
        Assert.False(validator.Validate(null, new WorkflowOptions { ScanPeriod = TimeSpan.FromMilliseconds(10) }).Succeeded);
        Assert.False(validator.Validate(null, new WorkflowOptions { ScanBatch = 0 }).Succeeded);
        Assert.False(validator.Validate(null, new WorkflowOptions { EscalationFactor = 0.5 }).Succeeded);
        Assert.False(validator.Validate(null, new WorkflowOptions { EscalationFactor = double.NaN }).Succeeded);
        Assert.False(validator.Validate(null, new WorkflowOptions { EscalationFloor = 0 }).Succeeded);
    }

    private static IssueState Issue() => new() { Id = 1, ProjectId = 1, FirstSeen = T0, LastSeen = T0, TimesSeen = 1, SubstatusSince = T0 };

    /// <summary>What the grain does per event: counts, rates, then the workflow.</summary>
    private static IssueTransition Event(IssueState s, DateTimeOffset at, string user)
    {
        s.TimesSeen++;
        s.Users.Add(user);
        s.Rates.Add(at, at, user);
        return IssueWorkflow.OnEvent(s, null, at, false, null, Options, (_, _) => { });
    }
}
