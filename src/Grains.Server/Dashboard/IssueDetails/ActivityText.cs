using System.Text.Json.Nodes;
using Grains.Monitoring.Issues.Activities;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>What an activity (Sentry's activity JSON: <c>type</c>, <c>data</c>) says, as a sentence.</summary>
internal static class ActivityText
{
    public static string Describe(string? type, JsonObject? data)
    {
        data ??= [];
        return type switch
        {
            ActivityTypes.Note => EventJson.Str(data["text"]) ?? "",
            ActivityTypes.SetResolved => "Marked as resolved",
            ActivityTypes.SetResolvedInRelease => EventJson.Str(data["version"]) is { Length: > 0 } version
                ? $"Marked as resolved in release {version}"
                : "Marked as resolved in the next release",
            ActivityTypes.SetUnresolved => "Marked as unresolved",
            ActivityTypes.SetIgnored => "Archived " + StatusText.Archived(data),
            ActivityTypes.SetRegression => EventJson.Str(data["version"]) is { Length: > 0 } regressed
                ? $"Regressed in release {regressed}"
                : "Regressed",
            ActivityTypes.FirstSeen => "First seen",
            ActivityTypes.AutoSetOngoing => EventJson.Long(data["after_days"]) is { } days
                ? $"Marked as ongoing after {days} days"
                : "Marked as ongoing",
            ActivityTypes.SetEscalating => "Escalating: more events than usual",
            _ => type ?? "Activity",
        };
    }
}
