using Grains.Monitoring;
using System.Text.Json;
using Grains.Monitoring.Issues;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Reads Sentry's issue update body (<c>status</c>, <c>substatus</c>, <c>statusDetails</c>) into a
/// grain update. Fields Grains does not track (<c>hasSeen</c>, <c>isBookmarked</c>, <c>assignedTo</c>…)
/// are accepted and ignored, as unknown fields are.
/// </summary>
internal static class StatusUpdateParser
{
    // Sentry caps snooze windows at one week.
    private const long MaxWindowMinutes = 7 * 24 * 60;

    // Keeps the computed end time representable; longer snoozes are "forever" in practice.
    private const long MaxDurationMinutes = 365 * 24 * 60;

    private static readonly string[] UnresolvedSubstatuses = ["ongoing", "escalating", "regressed", "new"];
    private static readonly string[] IgnoredSubstatuses = ["archived_until_escalating", "archived_until_condition_met", "archived_forever"];

    /// <summary>The update, or null when the body changes no status.</summary>
    public static IssueStatusUpdate? Parse(JsonElement body, DateTimeOffset now)
    {
        var status = JsonBody.String(body, "status");
        var substatus = JsonBody.String(body, "substatus");
        var given = JsonBody.Object(body, "statusDetails");
        if (status is null)
        {
            return substatus is null && given is null
                ? null
                : throw ApiException.BadRequest("'status' is required with 'substatus' or 'statusDetails'.");
        }

        var details = new Dictionary<string, object?>(StringComparer.Ordinal);
        var input = given ?? default;
        switch (status)
        {
            case "resolved":
                Resolution(input, given.HasValue, details);
                return Checked("resolved", substatus, details, []);
            case "resolvedInNextRelease":
                details["inNextRelease"] = true;
                return Checked("resolved", substatus, details, []);
            case "unresolved":
                return Checked("unresolved", substatus ?? "ongoing", details, UnresolvedSubstatuses);
            case "ignored":
                var derived = Snooze(input, given.HasValue, details, now);
                return Checked("ignored", substatus ?? derived, details, IgnoredSubstatuses);
            default:
                throw ApiException.BadRequest($"Unknown status '{status}'; expected one of resolved, resolvedInNextRelease, unresolved, ignored.");
        }
    }

    private static IssueStatusUpdate Checked(string status, string? substatus, Dictionary<string, object?> details, string[] allowed)
    {
        if (substatus is not null && !allowed.Contains(substatus))
        {
            throw ApiException.BadRequest(allowed.Length == 0
                ? $"Status '{status}' takes no substatus."
                : $"Invalid substatus '{substatus}' for status '{status}'; expected one of {string.Join(", ", allowed)}.");
        }

        return new IssueStatusUpdate(status, substatus, JsonSerializer.Serialize(details, MonitoringJson.Options));
    }

    private static void Resolution(JsonElement input, bool present, Dictionary<string, object?> details)
    {
        if (!present)
        {
            return;
        }

        if (JsonBody.String(input, "inRelease") is { } release)
        {
            details["inRelease"] = release;
        }

        if (JsonBody.Boolean(input, "inNextRelease") is true)
        {
            details["inNextRelease"] = true;
        }
    }

    /// <summary>Copies the snooze conditions and returns the substatus they imply (as Sentry derives it).</summary>
    private static string Snooze(JsonElement input, bool present, Dictionary<string, object?> details, DateTimeOffset now)
    {
        if (!present)
        {
            return "archived_forever";
        }

        if (JsonBody.Count(input, "ignoreDuration") is { } minutes)
        {
            details["ignoreUntil"] = minutes <= MaxDurationMinutes
                ? ApiTime.Format(now.AddMinutes(minutes))
                : throw ApiException.BadRequest($"'ignoreDuration' must be at most {MaxDurationMinutes} minutes (one year).");
        }

        foreach (var name in (ReadOnlySpan<string>)["ignoreCount", "ignoreUserCount"])
        {
            if (JsonBody.Count(input, name) is { } count)
            {
                details[name] = count;
            }
        }

        foreach (var name in (ReadOnlySpan<string>)["ignoreWindow", "ignoreUserWindow"])
        {
            if (JsonBody.Count(input, name) is { } window)
            {
                details[name] = window <= MaxWindowMinutes
                    ? window
                    : throw ApiException.BadRequest($"'{name}' must be at most {MaxWindowMinutes} minutes (one week).");
            }
        }

        if (JsonBody.Boolean(input, "ignoreUntilEscalating") is true)
        {
            details["ignoreUntilEscalating"] = true;
            return "archived_until_escalating";
        }

        return details.Count > 0 ? "archived_until_condition_met" : "archived_forever";
    }
}
