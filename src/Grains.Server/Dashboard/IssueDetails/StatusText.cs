using System.Globalization;
using System.Text.Json.Nodes;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>An issue's status (<c>status</c>, <c>substatus</c>, <c>statusDetails</c>) as words: the badge says what a colour alone would not.</summary>
internal static class StatusText
{
    /// <summary>The status's name: Unresolved, Resolved, Archived.</summary>
    public static string Name(string status) => status switch
    {
        "resolved" => "Resolved",
        "ignored" => "Archived",
        _ => "Unresolved",
    };

    /// <summary>The status with its detail: "Resolved in the next release", "Archived until it occurs 100 more times", "Unresolved (new)".</summary>
    public static string Describe(string status, string? substatus, JsonObject? details)
    {
        details ??= [];
        switch (status)
        {
            case "resolved":
                if (EventJson.Bool(details["inNextRelease"]))
                {
                    return "Resolved in the next release";
                }

                return EventJson.Str(details["inRelease"]) is { Length: > 0 } release ? $"Resolved in release {release}" : "Resolved";
            case "ignored":
                return "Archived " + (substatus == "archived_until_escalating" && !HasCondition(details) ? "until escalating" : Archived(details));
            default:
                return substatus is { Length: > 0 } ? $"Unresolved ({substatus.Replace('_', ' ')})" : "Unresolved";
        }
    }

    /// <summary>The archive's conditions (a snooze's <c>statusDetails</c>, or a <c>set_ignored</c> activity's data).</summary>
    public static string Archived(JsonObject details)
    {
        if (EventJson.Bool(details["ignoreUntilEscalating"]))
        {
            return "until escalating";
        }

        var parts = new List<string>();
        if (EventJson.Str(details["ignoreUntil"]) is { } until && DateTimeOffset.TryParse(until, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            parts.Add("until " + at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture));
        }

        if (EventJson.Long(details["ignoreCount"]) is { } count)
        {
            parts.Add($"until it occurs {count} more {Times(count)}{Window(details["ignoreWindow"])}");
        }

        if (EventJson.Long(details["ignoreUserCount"]) is { } users)
        {
            parts.Add($"until it affects {users} more {(users == 1 ? "user" : "users")}{Window(details["ignoreUserWindow"])}");
        }

        return parts.Count == 0 ? "forever" : string.Join(" or ", parts);
    }

    private static bool HasCondition(JsonObject details) =>
        details["ignoreUntil"] is not null || details["ignoreCount"] is not null || details["ignoreUserCount"] is not null;

    private static string Times(long count) => count == 1 ? "time" : "times";

    private static string Window(JsonNode? minutes) => EventJson.Long(minutes) is { } window ? " within " + Duration(window) : "";

    /// <summary>Minutes as Sentry's archive menu names them: "30 minutes", "2 hours", "1 day", "1 week".</summary>
    public static string Duration(long minutes) => minutes switch
    {
        _ when minutes % (7 * 24 * 60) == 0 => Plural(minutes / (7 * 24 * 60), "week"),
        _ when minutes % (24 * 60) == 0 => Plural(minutes / (24 * 60), "day"),
        _ when minutes % 60 == 0 => Plural(minutes / 60, "hour"),
        _ => Plural(minutes, "minute"),
    };

    private static string Plural(long n, string unit) => $"{n} {unit}{(n == 1 ? "" : "s")}";
}
