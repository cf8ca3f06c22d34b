using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Models;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// Events from the event store: an issue's events (<c>…/issues/{id}/events/</c>, <c>latest</c>,
/// <c>oldest</c>, by id), its hashes, and a project's event by id with its grouping info.
/// </summary>
internal static class EventEndpoints
{
    private const int DefaultLimit = 100;

    // The hashes endpoint looks for each hash's newest event among this many of the issue's newest events.
    private const int HashScanLimit = 100;

    public static void MapIssue(RouteGroupBuilder issue)
    {
        issue.MapGet("/events/", ListAsync);
        issue.MapGet("/events/{eventId}/", GetAsync);
        issue.MapGet("/hashes/", HashesAsync);
    }

    public static void MapProject(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/events/{eventId}/", GetProjectEventAsync);
        api.MapGet("/projects/{org}/{project}/events/{eventId}/grouping-info/", GetGroupingInfoAsync);
    }

    private static async Task<IResult> ListAsync(string id, HttpContext http, ApiDirectory directory, IEventStore events, ApiUrls urls, ProjectGrouping grouping, CancellationToken cancellationToken)
    {
        var limit = Pagination.Limit(http.Request, DefaultLimit);
        var cursor = Pagination.Cursor(http.Request);
        var full = IsTrue(http.Request.Query["full"].ToString());
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        EventPage page;
        try
        {
            page = await events.ListByIssueAsync(context.Issue.Id, limit, cursor, cancellationToken);
        }
        catch (Exception e) when (cursor is not null && e is FormatException or ArgumentException)
        {
            throw ApiException.BadRequest("Invalid cursor parameter.");
        }

        var config = grouping.For(context.Project);
        var result = new JsonArray();
        foreach (var stored in page.Events)
        {
            var evt = EventSerializer.Parse(stored);
            result.Add(full
                ? EventSerializer.Detail(stored, evt, null, null, config)
                : EventSerializer.Simple(stored, evt, config));
        }

        // The event store pages forward only, so there is never a previous link with results.
        Pagination.SetLink(http, urls, null, page.NextCursor);
        return ApiResults.Json(result, ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> GetAsync(string id, string eventId, HttpContext http, ApiDirectory directory, IEventStore events, ProjectGrouping grouping, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var stored = eventId switch
        {
            "latest" or "recommended" => await events.GetEdgeAsync(context.Issue.Id, latest: true, cancellationToken),
            "oldest" => await events.GetEdgeAsync(context.Issue.Id, latest: false, cancellationToken),
            _ => NormalizeEventId(eventId) is { } normalized ? await events.GetAsync(context.Project.Id, normalized, cancellationToken) : null,
        };
        if (stored is null || stored.IssueId != context.Issue.Id)
        {
            throw ApiException.NotFound();
        }

        var detail = await DetailAsync(stored, grouping.For(context.Project), events, cancellationToken);
        return ApiResults.Json(detail, ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> HashesAsync(string id, HttpContext http, ApiDirectory directory, IIssueStore issues, IEventStore events, ProjectGrouping grouping, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var hashes = await issues.GetHashesAsync(context.Issue.Id, cancellationToken);
        var full = http.Request.Query["full"].ToString() is not ("0" or "false");
        var recent = await events.ListByIssueAsync(context.Issue.Id, HashScanLimit, null, cancellationToken);
        var latest = new Dictionary<string, (StoredEvent Stored, JsonObject Event)>(StringComparer.Ordinal);
        foreach (var stored in recent.Events)
        {
            var evt = EventSerializer.Parse(stored);
            foreach (var node in evt["_grouping"]?["hashes"] as JsonArray ?? [])
            {
                if (node is JsonValue value && value.TryGetValue<string>(out var hash))
                {
                    // Events come newest first: the first one seen for a hash is its latest.
                    latest.TryAdd(hash, (stored, evt));
                }
            }
        }

        var config = grouping.For(context.Project);
        var result = new List<HashDto>(hashes.Count);
        foreach (var (hash, _) in hashes)
        {
            JsonObject? latestEvent = null;
            if (latest.TryGetValue(hash, out var found))
            {
                latestEvent = full
                    ? EventSerializer.Detail(found.Stored, found.Event, null, null, config)
                    : EventSerializer.Simple(found.Stored, found.Event, config);
            }

            result.Add(new HashDto(hash, latestEvent, MergedBySeer: false));
        }

        return ApiResults.Json(result, ApiJsonContext.Default.ListHashDto);
    }

    private static async Task<IResult> GetProjectEventAsync(string org, string project, string eventId, ApiDirectory directory, IEventStore events, ProjectGrouping grouping, CancellationToken cancellationToken)
    {
        var (stored, record) = await ProjectEventAsync(org, project, eventId, directory, events, cancellationToken);
        var config = grouping.For(record);
        var detail = await DetailAsync(stored, config, events, cancellationToken);

        // Sentry serves the grouping info only at …/grouping-info/; it is included here so one call explains the grouping.
        detail["groupingInfo"] = EventSerializer.GroupingInfo(EventSerializer.Parse(stored), config);
        return ApiResults.Json(detail, ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> GetGroupingInfoAsync(string org, string project, string eventId, ApiDirectory directory, IEventStore events, ProjectGrouping grouping, CancellationToken cancellationToken)
    {
        var (stored, record) = await ProjectEventAsync(org, project, eventId, directory, events, cancellationToken);
        return ApiResults.Json(EventSerializer.GroupingInfo(EventSerializer.Parse(stored), grouping.For(record)), ApiJsonContext.Default.JsonObject);
    }

    private static async Task<(StoredEvent Stored, ProjectRecord Project)> ProjectEventAsync(string org, string project, string eventId, ApiDirectory directory, IEventStore events, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var normalized = NormalizeEventId(eventId) ?? throw ApiException.NotFound();
        var stored = await events.GetAsync(record.Id, normalized, cancellationToken) ?? throw ApiException.NotFound();
        return (stored, record);
    }

    /// <summary>An event's detail with its older and newer neighbours (the dashboard's event view uses it too).</summary>
    internal static async Task<JsonObject> DetailAsync(StoredEvent stored, GroupingConfig config, IEventStore events, CancellationToken cancellationToken)
    {
        var (previous, next) = await events.GetNeighborsAsync(stored.IssueId, stored.EventId, cancellationToken);
        return EventSerializer.Detail(stored, EventSerializer.Parse(stored), previous, next, config);
    }

    /// <summary>Event ids are 32 lowercase hex characters; a UUID with dashes or in upper case is accepted too.</summary>
    internal static string? NormalizeEventId(string eventId)
    {
        var compact = eventId.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return compact.Length == 32 && compact.All(char.IsAsciiHexDigitLower) ? compact : null;
    }

    private static bool IsTrue(string value) => value is "1" or "true" or "True";
}
