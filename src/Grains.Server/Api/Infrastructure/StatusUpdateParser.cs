using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Issues.Workflow;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Reads Sentry's issue update body (<c>status</c>, <c>substatus</c>, <c>statusDetails</c>, reference
/// api-shapes §f) into a grain update. Fields Grains does not track (<c>hasSeen</c>, <c>isBookmarked</c>,
/// <c>assignedTo</c>…) are accepted and ignored, as unknown fields are. Release-based resolutions are
/// returned unresolved (<see cref="ParsedStatusUpdate.InNextRelease"/>, <see cref="ParsedStatusUpdate.InRelease"/>):
/// the endpoint checks them against the project's releases (<see cref="ReleaseResolutions"/>).
/// </summary>
internal static class StatusUpdateParser
{
    /// <summary>Sentry caps snooze windows at one week (<c>ignoreWindow</c>, <c>ignoreUserWindow</c> ≤ 10080 minutes).</summary>
    public const long MaxWindowMinutes = 7 * 24 * 60;

    // Keeps the computed end time representable; longer snoozes are "forever" in practice.
    private const long MaxDurationMinutes = 365 * 24 * 60;

    private static readonly string[] UnresolvedSubstatuses = ["ongoing", "escalating", "regressed", "new"];
    private static readonly string[] IgnoredSubstatuses = ["archived_until_escalating", "archived_until_condition_met", "archived_forever"];

    /// <summary>The update, or null when the body changes no status.</summary>
    public static ParsedStatusUpdate? Parse(JsonElement body, DateTimeOffset now)
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

        var input = given ?? default;
        switch (status)
        {
            case "resolved":
                CheckSubstatus("resolved", substatus, []);
                var next = given.HasValue && JsonBody.Boolean(input, "inNextRelease") is true;
                var release = given.HasValue ? JsonBody.String(input, "inRelease") : null;
                if (release is not null && string.IsNullOrWhiteSpace(release))
                {
                    throw Invalid("inRelease", "This field may not be blank.");
                }

                return new ParsedStatusUpdate(new IssueStatusUpdate("resolved", null, "{}"), next, next ? null : release);
            case "resolvedInNextRelease":
                CheckSubstatus("resolved", substatus, []);
                return new ParsedStatusUpdate(new IssueStatusUpdate("resolved", null, "{}"), InNextRelease: true, InRelease: null);
            case "unresolved":
                CheckSubstatus("unresolved", substatus, UnresolvedSubstatuses);
                return new ParsedStatusUpdate(new IssueStatusUpdate("unresolved", substatus ?? "ongoing", "{}"), false, null);
            case "ignored":
                CheckSubstatus("ignored", substatus, IgnoredSubstatuses);
                var (snooze, details) = Snooze(input, given.HasValue, now);
                return new ParsedStatusUpdate(new IssueStatusUpdate("ignored", substatus, details.ToJsonString()) { Snooze = snooze }, false, null);
            default:
                throw ApiException.BadRequest($"Unknown status '{status}'; expected one of resolved, resolvedInNextRelease, unresolved, ignored.");
        }
    }

    /// <summary>Sentry's serializer error for one <c>statusDetails</c> field.</summary>
    public static ApiException Invalid(string field, string message) =>
        ApiException.Invalid(new JsonObject { ["statusDetails"] = new JsonObject { [field] = new JsonArray(message) } }, message);

    private static void CheckSubstatus(string status, string? substatus, string[] allowed)
    {
        if (substatus is not null && !allowed.Contains(substatus))
        {
            throw ApiException.BadRequest(allowed.Length == 0
                ? $"Status '{status}' takes no substatus."
                : $"Invalid substatus '{substatus}' for status '{status}'; expected one of {string.Join(", ", allowed)}.");
        }
    }

    /// <summary>The snooze conditions and the change set's <c>statusDetails</c> (Sentry answers all five fields, null when not given).</summary>
    private static (IssueSnooze? Snooze, JsonObject Details) Snooze(JsonElement input, bool present, DateTimeOffset now)
    {
        if (!present)
        {
            return (null, []);
        }

        DateTimeOffset? until = null;
        if (JsonBody.Count(input, "ignoreDuration") is { } minutes)
        {
            until = minutes is > 0 and <= MaxDurationMinutes
                ? now.AddMinutes(minutes)
                : throw Invalid("ignoreDuration", $"Ensure this value is between 1 and {MaxDurationMinutes} minutes (one year).");
        }

        var count = Positive(input, "ignoreCount");
        var userCount = Positive(input, "ignoreUserCount");
        var window = Window(input, "ignoreWindow");
        var userWindow = Window(input, "ignoreUserWindow");
        if (window is not null && count is null)
        {
            throw Invalid("ignoreWindow", "'ignoreWindow' needs 'ignoreCount'.");
        }

        if (userWindow is not null && userCount is null)
        {
            throw Invalid("ignoreUserWindow", "'ignoreUserWindow' needs 'ignoreUserCount'.");
        }

        if (JsonBody.Boolean(input, "ignoreUntilEscalating") is true)
        {
            return (new IssueSnooze { UntilEscalating = true }, new JsonObject { ["ignoreUntilEscalating"] = true });
        }

        var snooze = new IssueSnooze { Until = until, Count = count, Window = window, UserCount = userCount, UserWindow = userWindow };
        if (!snooze.HasCondition)
        {
            return (null, []);
        }

        return (snooze, new JsonObject
        {
            ["ignoreCount"] = count,
            ["ignoreUntil"] = until is { } u ? ApiTime.Format(u) : null,
            ["ignoreUserCount"] = userCount,
            ["ignoreUserWindow"] = userWindow,
            ["ignoreWindow"] = window,
            ["actor"] = null,
        });
    }

    private static long? Positive(JsonElement input, string name) =>
        JsonBody.Count(input, name) is { } value
            ? value >= 1 ? value : throw Invalid(name, "Ensure this value is greater than or equal to 1.")
            : null;

    private static long? Window(JsonElement input, string name) =>
        JsonBody.Count(input, name) is { } value
            ? value is >= 1 and <= MaxWindowMinutes ? value : throw Invalid(name, $"Ensure this value is less than or equal to {MaxWindowMinutes}.")
            : null;
}
