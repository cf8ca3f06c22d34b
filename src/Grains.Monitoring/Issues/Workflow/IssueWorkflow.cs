using System.Globalization;
using System.Text.Json.Nodes;
using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Releases;

namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// The issue status model (reference §2.2), as pure functions over <see cref="IssueState"/>: what an
/// applied event does (regression by <c>has_resolution</c>, snooze conditions, escalation), what an
/// API status change does, and the timed transitions. Every change yields its activity.
/// </summary>
public static class IssueWorkflow
{
    public const string Unresolved = "unresolved";
    public const string Resolved = "resolved";
    public const string Ignored = "ignored";

    /// <summary>
    /// Applies the workflow part of one event (its counts and rates are already added). Runs in the
    /// issue's turn, so each applied event is judged once.
    /// </summary>
    /// <param name="s">The issue.</param>
    /// <param name="release">The event's release (null: none).</param>
    /// <param name="now">The event's received time (the issue's clock).</param>
    /// <param name="isNew">The event created the issue.</param>
    /// <param name="releases">The project's release order (needed only when a release-based resolution is to be checked).</param>
    /// <param name="options">Thresholds.</param>
    /// <param name="activity">Receives the activities (type, data) of the change.</param>
    public static IssueTransition OnEvent(IssueState s, string? release, DateTimeOffset now, bool isNew, ReleaseOrder? releases, WorkflowOptions options, Action<string, JsonObject> activity)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activity);
        var regression = false;
        var reappeared = false;
        if (isNew)
        {
            s.SubstatusSince = now;
            activity(ActivityTypes.FirstSeen, []);
        }

        if (s.Status == Resolved && !HasResolution(s.Resolution, release, releases))
        {
            var data = new JsonObject { ["version"] = release };
            if (s.Resolution is { } resolution)
            {
                data["resolved_in_version"] = resolution.CurrentReleaseVersion ?? resolution.Version;
                data["follows_semver"] = releases?.FollowsSemver ?? false;
            }

            SetUnresolved(s, "regressed", now);
            regression = true;
            activity(ActivityTypes.SetRegression, data);
        }
        else if (s.Status == Ignored && s.Snooze is { } snooze)
        {
            var reason = Unsnooze(s, snooze, now, options);
            if (reason is not null)
            {
                var timed = reason == "until";
                SetUnresolved(s, timed ? "ongoing" : "escalating", now);
                reappeared = true;
                activity(timed ? ActivityTypes.SetUnresolved : ActivityTypes.SetEscalating, timed
                    ? []
                    : new JsonObject { ["expired_snooze"] = SnoozeData(snooze), ["reason"] = reason });
            }
        }

        return new IssueTransition(isNew, regression, reappeared, s.Status);
    }

    /// <summary>
    /// Sentry's <c>GroupResolution.has_resolution</c>: whether the resolution still covers an event from
    /// <paramref name="release"/> (true: stays resolved; false: regression).
    /// </summary>
    public static bool HasResolution(IssueResolution? resolution, string? release, ReleaseOrder? releases)
    {
        if (resolution is null)
        {
            // A plain resolve: any new event regresses.
            return false;
        }

        if (string.IsNullOrEmpty(release))
        {
            // An event without a release is assumed to be older code.
            return true;
        }

        var order = releases ?? new ReleaseOrder([]);
        if (resolution.CurrentReleaseVersion is { } current)
        {
            return order.Compare(release, current) <= 0;
        }

        if (resolution.Type == IssueResolution.InRelease)
        {
            // The fix's own release, or a newer one, shows the fix did not work.
            return order.Compare(release, resolution.Version) < 0;
        }

        return order.Compare(release, resolution.Version) <= 0;
    }

    /// <summary>Which snooze condition ends the archive now (<c>until</c>, <c>count</c>, <c>user_count</c>, <c>escalating</c>), or null.</summary>
    public static string? Unsnooze(IssueState s, IssueSnooze snooze, DateTimeOffset now, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(snooze);
        ArgumentNullException.ThrowIfNull(options);
        var end = now.AddSeconds(1);
        if (snooze.Until is { } until && until <= now)
        {
            return "until";
        }

        if (snooze.Count is { } count)
        {
            var seen = snooze.Window is { } window ? s.Rates.EventsBetween(now.AddMinutes(-window), end) : s.TimesSeen - snooze.TimesSeen;
            if (seen >= count)
            {
                return "count";
            }
        }

        if (snooze.UserCount is { } users)
        {
            var seen = snooze.UserWindow is { } window ? s.Rates.UsersBetween(now.AddMinutes(-window), end) : s.Users.Count - snooze.UsersSeen;
            if (seen >= users)
            {
                return "user_count";
            }
        }

        return snooze.UntilEscalating && IsEscalating(s, now, options) ? "escalating" : null;
    }

    /// <summary>
    /// The escalation rule of "archive until escalating": more events in the last hour than
    /// <see cref="WorkflowOptions.EscalationFactor"/> × the average hourly count of the week before it
    /// (of the issue's life before it, when younger), and at least <see cref="WorkflowOptions.EscalationFloor"/>.
    /// </summary>
    /// <remarks>
    /// Sentry forecasts each archived issue's daily volume for two weeks from its last seven days of
    /// hourly counts (a nightly job; issues younger than a day use a fixed spike rule) and escalates
    /// when a day's count exceeds that day's forecast. Grains has no nightly job and keeps only the
    /// issue's own bounded counts, so it compares the last hour with the recent average in the issue's
    /// turn: the same idea (well above its usual rate), decided per event without a forecast table.
    /// </remarks>
    public static bool IsEscalating(IssueState s, DateTimeOffset now, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(options);
        var hourAgo = now.AddHours(-1);
        var lastHour = s.Rates.EventsBetween(hourAgo, now.AddSeconds(1));
        var baselineHours = Math.Clamp((hourAgo - s.FirstSeen).TotalHours, 1, 7 * 24);
        var baseline = s.Rates.EventsBetween(hourAgo.AddHours(-baselineHours), hourAgo) / baselineHours;
        return lastHour >= options.EscalationFloor && lastHour > options.EscalationFactor * baseline;
    }

    /// <summary>Applies a status change from the API; returns the activity it records.</summary>
    public static (string Type, JsonObject Data) Update(IssueState s, IssueStatusUpdate update, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(update);
        switch (update.Status)
        {
            case Resolved:
                s.Status = Resolved;
                s.Substatus = null;
                s.Snooze = null;
                s.Resolution = update.Resolution;
                s.SubstatusSince = now;
                if (update.Resolution is { } resolution)
                {
                    var data = new JsonObject
                    {
                        ["version"] = resolution.Type == IssueResolution.InNextRelease ? "" : resolution.Version,
                    };
                    if (resolution.CurrentReleaseVersion is { } current)
                    {
                        data["current_release_version"] = current;
                    }

                    return (ActivityTypes.SetResolvedInRelease, data);
                }

                return (ActivityTypes.SetResolved, []);
            case Unresolved:
                SetUnresolved(s, update.Substatus ?? "ongoing", now);
                return (ActivityTypes.SetUnresolved, []);
            case Ignored:
                var snooze = update.Snooze is { } given
                    ? given with { TimesSeen = s.TimesSeen, UsersSeen = s.Users.Count }
                    : null;
                s.Status = Ignored;
                s.Resolution = null;
                s.Snooze = snooze is { HasCondition: true } ? snooze : null;
                s.Substatus = update.Substatus
                    ?? (snooze is { UntilEscalating: true } ? "archived_until_escalating"
                        : s.Snooze is not null ? "archived_until_condition_met" : "archived_forever");
                s.SubstatusSince = now;
                var ignored = s.Snooze is { } kept ? SnoozeData(kept) : [];
                if (update.Snooze?.UntilEscalating == true)
                {
                    ignored["ignoreUntilEscalating"] = true;
                }

                return (ActivityTypes.SetIgnored, ignored);
            default:
                throw new ArgumentException($"Unknown status '{update.Status}'; expected resolved, unresolved or ignored.", nameof(update));
        }
    }

    /// <summary>The timed transitions due at <paramref name="now"/>: ongoing after <see cref="WorkflowOptions.OngoingAfter"/>, the end of a timed archive.</summary>
    public static (string Type, JsonObject Data)? OnSchedule(IssueState s, DateTimeOffset now, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(options);
        if (Due(s, options) is not { } due || due > now)
        {
            return null;
        }

        if (s.Status == Ignored)
        {
            SetUnresolved(s, "ongoing", now);
            return (ActivityTypes.SetUnresolved, []);
        }

        s.Substatus = "ongoing";
        s.SubstatusSince = now;
        return (ActivityTypes.AutoSetOngoing, new JsonObject { ["after_days"] = (int)Math.Round(options.OngoingAfter.TotalDays) });
    }

    /// <summary>When the issue's next timed transition is due, or null for none.</summary>
    public static DateTimeOffset? Due(IssueState s, WorkflowOptions options)
    {
        ArgumentNullException.ThrowIfNull(s);
        ArgumentNullException.ThrowIfNull(options);
        return s.Status switch
        {
            Unresolved when s.Substatus is "new" or "regressed" or "escalating" => (s.SubstatusSince ?? s.FirstSeen) + options.OngoingAfter,
            Ignored when s.Snooze?.Until is { } until => until,
            _ => null,
        };
    }

    /// <summary>The issue's <c>statusDetails</c> as its details show them (§f: a count snooze shows the count still remaining).</summary>
    public static JsonObject StatusDetails(IssueState s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Status == Resolved && s.Resolution is { } resolution)
        {
            return resolution.Type == IssueResolution.InNextRelease
                ? new JsonObject { ["inNextRelease"] = true, ["actor"] = null }
                : new JsonObject { ["inRelease"] = resolution.Version, ["actor"] = null };
        }

        if (s.Status == Ignored && s.Snooze is { UntilEscalating: false } snooze)
        {
            return new JsonObject
            {
                ["ignoreCount"] = snooze.Count is { } count && snooze.Window is null ? Math.Max(0, count - (s.TimesSeen - snooze.TimesSeen)) : snooze.Count,
                ["ignoreUntil"] = snooze.Until is { } until ? Format(until) : null,
                ["ignoreUserCount"] = snooze.UserCount is { } users && snooze.UserWindow is null ? Math.Max(0, users - (s.Users.Count - snooze.UsersSeen)) : snooze.UserCount,
                ["ignoreUserWindow"] = snooze.UserWindow,
                ["ignoreWindow"] = snooze.Window,
                ["actor"] = null,
            };
        }

        return [];
    }

    /// <summary>Sentry's API time format (UTC, microseconds, <c>Z</c>).</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static void SetUnresolved(IssueState s, string substatus, DateTimeOffset now)
    {
        s.Status = Unresolved;
        s.Substatus = substatus;
        s.SubstatusSince = now;
        s.Resolution = null;
        s.Snooze = null;
    }

    private static JsonObject SnoozeData(IssueSnooze snooze) => new()
    {
        ["ignoreCount"] = snooze.Count,
        ["ignoreUntil"] = snooze.Until is { } until ? Format(until) : null,
        ["ignoreUserCount"] = snooze.UserCount,
        ["ignoreUserWindow"] = snooze.UserWindow,
        ["ignoreWindow"] = snooze.Window,
    };
}
