using System.Text.Json.Nodes;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>
/// The issue page's actions as the update bodies Sentry's web app sends to <c>PUT …/issues/{id}/</c>
/// (reference api-shapes §f). The page runs them through the API's own parser
/// (<c>StatusUpdateParser</c>) and update path, so a bad value gets the API's message.
/// </summary>
internal static class StatusUpdateBodies
{
    public static JsonObject Resolve() => new() { ["status"] = "resolved", ["statusDetails"] = new JsonObject() };

    public static JsonObject ResolveInNextRelease() => new() { ["status"] = "resolved", ["statusDetails"] = new JsonObject { ["inNextRelease"] = true } };

    public static JsonObject Unresolve() => new() { ["status"] = "unresolved", ["statusDetails"] = new JsonObject() };

    /// <summary>An archive with its condition; <paramref name="amount"/> is minutes (duration) or a count, <paramref name="window"/> the count's window in minutes.</summary>
    public static JsonObject Archive(ArchiveKind kind, long? amount = null, long? window = null)
    {
        var details = new JsonObject();
        var substatus = "archived_until_condition_met";
        switch (kind)
        {
            case ArchiveKind.UntilEscalating:
                // Both: the substatus names it, ignoreUntilEscalating makes the issue watch for escalation.
                substatus = "archived_until_escalating";
                details["ignoreUntilEscalating"] = true;
                break;
            case ArchiveKind.Forever:
                substatus = "archived_forever";
                break;
            case ArchiveKind.ForDuration:
                details["ignoreDuration"] = amount;
                break;
            case ArchiveKind.UntilCount:
                details["ignoreCount"] = amount;
                if (window is not null)
                {
                    details["ignoreWindow"] = window;
                }

                break;
            case ArchiveKind.UntilUserCount:
                details["ignoreUserCount"] = amount;
                if (window is not null)
                {
                    details["ignoreUserWindow"] = window;
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown archive condition.");
        }

        return new JsonObject { ["status"] = "ignored", ["substatus"] = substatus, ["statusDetails"] = details };
    }
}
