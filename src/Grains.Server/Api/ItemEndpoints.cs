using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// The non-event items in Sentry's API shapes: user reports and feedback
/// (<c>/projects/{org}/{project}/user-feedback/</c>, <c>/issues/{id}/user-reports/</c>), an event's
/// attachments and their bytes, and (<see cref="Stats.StatsEndpoints"/>) a project's outcomes per data category.
/// </summary>
/// <remarks>
/// Maps its own <c>/api/0</c> group with the API's error and bearer-token filters, so the routes are
/// authenticated exactly like the rest of the API wherever the call is placed; call it on the root
/// route builder, not on the API group.
/// </remarks>
public static class ItemEndpoints
{
    private const int DefaultLimit = 100;
    private const string OctetStream = "application/octet-stream";


    /// <summary>Maps the item routes under <c>/api/0</c>.</summary>
    public static IEndpointRouteBuilder MapItemEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup(SentryApiEndpoints.BasePath)
            .AddEndpointFilter<ApiErrorFilter>()
            .AddEndpointFilter<TokenAuthFilter>()
            .AddEndpointFilter<ApiPermissionFilter>();

        api.MapGet("/projects/{org}/{project}/user-feedback/", ListProjectFeedbackAsync);
        api.MapGet("/issues/{id}/user-reports/", ListIssueReportsAsync);
        api.MapGet("/organizations/{org}/issues/{id}/user-reports/", ListIssueReportsAsync);
        api.MapGet("/projects/{org}/{project}/events/{eventId}/attachments/", ListAttachmentsAsync);
        api.MapGet("/projects/{org}/{project}/events/{eventId}/attachments/{attachmentId}/", GetAttachmentAsync);
        Stats.StatsEndpoints.MapProject(api);
        return endpoints;
    }

    private static async Task<IResult> ListProjectFeedbackAsync(string org, string project, HttpContext http, ApiDirectory directory, IItemStore items, IIssueStore issues, ApiUrls urls, CancellationToken cancellationToken)
    {
        var limit = Pagination.Limit(http.Request, DefaultLimit);
        var cursor = Pagination.Cursor(http.Request);
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var page = await PageAsync(() => items.ListFeedbackAsync(record.Id, limit, cursor, cancellationToken), cursor);
        var result = await ReportsAsync(page, organization, record, http, issues, urls, cancellationToken);
        Pagination.SetLink(http, urls, null, page.NextCursor);
        return ApiResults.Json(result, ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> ListIssueReportsAsync(string id, HttpContext http, ApiDirectory directory, IItemStore items, IIssueStore issues, ApiUrls urls, CancellationToken cancellationToken)
    {
        var limit = Pagination.Limit(http.Request, DefaultLimit);
        var cursor = Pagination.Cursor(http.Request);
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var page = await PageAsync(() => items.ListFeedbackByIssueAsync(context.Project.Id, context.Issue.Id, limit, cursor, cancellationToken), cursor);
        var result = await ReportsAsync(page, context.Organization, context.Project, http, issues, urls, cancellationToken);
        Pagination.SetLink(http, urls, null, page.NextCursor);
        return ApiResults.Json(result, ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> ListAttachmentsAsync(string org, string project, string eventId, ApiDirectory directory, IItemStore items, IEventStore events, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var normalized = NormalizeEventId(eventId) ?? throw ApiException.NotFound();
        var attachments = (await items.ListByEventAsync(record.Id, normalized, cancellationToken)).Where(IsAttachment).ToList();

        // Sentry answers 404 for an unknown event; attachments may be stored before (or without) their event, so either proves it.
        if (attachments.Count == 0 && await events.GetAsync(record.Id, normalized, cancellationToken) is null)
        {
            throw ApiException.NotFound();
        }

        return ApiResults.Json(new JsonArray([.. attachments.Select(Attachment)]), ApiJsonContext.Default.JsonArray);
    }

    private static async Task<IResult> GetAttachmentAsync(string org, string project, string eventId, string attachmentId, HttpContext http, ApiDirectory directory, IItemStore items, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var normalized = NormalizeEventId(eventId) ?? throw ApiException.NotFound();
        if (!long.TryParse(attachmentId, NumberStyles.None, CultureInfo.InvariantCulture, out var itemId))
        {
            throw ApiException.NotFound();
        }

        var content = await items.GetAttachmentAsync(record.Id, normalized, itemId, cancellationToken) ?? throw ApiException.NotFound();
        if (http.Request.Query["download"].ToString() is not ("1" or "true" or "True"))
        {
            return ApiResults.Json(Attachment(content.Item), ApiJsonContext.Default.JsonObject);
        }

        if (content.Item.Truncated)
        {
            // The stored prefix is all there is: say so, since size and sha1 describe the file as sent.
            http.Response.Headers["X-Grains-Truncated"] = "true";
        }

        // The type is whatever the SDK wrote in the item header: serve it only when it is a valid media
        // type (a stray newline would otherwise fail the response), and never let a browser sniff it.
        var contentType = MediaTypeHeaderValue.TryParse(content.Item.ContentType, out var parsed) ? parsed.ToString() : OctetStream;
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return Results.File(content.Data.ToArray(), contentType, content.Item.Filename ?? $"attachment-{content.Item.Id}");
    }

    private static async Task<ItemPage> PageAsync(Func<Task<ItemPage>> load, string? cursor)
    {
        try
        {
            return await load();
        }
        catch (ArgumentException) when (cursor is not null)
        {
            throw ApiException.BadRequest("Invalid cursor parameter.");
        }
    }

    /// <summary>Sentry's <c>UserReportWithGroupSerializer</c>: the report, its event, and its issue when the event is stored.</summary>
    private static async Task<JsonArray> ReportsAsync(ItemPage page, OrganizationRecord organization, ProjectRecord project, HttpContext http, IIssueStore issues, ApiUrls urls, CancellationToken cancellationToken)
    {
        var result = new JsonArray();
        var cache = new Dictionary<long, JsonNode?>();
        foreach (var item in page.Items)
        {
            JsonNode? issue = null;
            if (item.IssueId is { } issueId)
            {
                if (!cache.TryGetValue(issueId, out issue))
                {
                    var record = await issues.GetAsync(issueId, cancellationToken);
                    issue = record is null ? null : JsonSerializer.SerializeToNode(
                        IssueSerializer.Summary(record, project, urls.IssuePermalink(http.Request, organization.Slug, record.Id), null),
                        ApiJsonContext.Default.IssueDto);
                    cache[issueId] = issue;
                }

                issue = issue?.DeepClone();
            }

            result.Add(new JsonObject
            {
                ["id"] = Id(item.Id),
                ["eventID"] = item.EventId,
                ["name"] = item.Name ?? "",
                ["email"] = item.Email ?? "",
                ["comments"] = item.Comments ?? "",
                ["dateCreated"] = ApiTime.Format(item.Received),
                ["user"] = null,
                ["event"] = new JsonObject { ["id"] = item.EventId, ["eventID"] = item.EventId },
                ["issue"] = issue,
            });
        }

        return result;
    }

    /// <summary>Sentry's <c>EventAttachmentSerializer</c>; <c>truncated</c> is ours (the store keeps a bounded prefix of large files).</summary>
    private static JsonObject Attachment(ItemRecord item)
    {
        var mimetype = item.ContentType ?? OctetStream;
        return new JsonObject
        {
            ["id"] = Id(item.Id),
            ["event_id"] = item.EventId,
            ["type"] = item.AttachmentType ?? "event.attachment",
            ["name"] = item.Filename ?? $"attachment-{item.Id}",
            ["mimetype"] = mimetype,
            ["dateCreated"] = ApiTime.Format(item.Received),
            ["size"] = item.Size,
            ["headers"] = new JsonObject { ["Content-Type"] = mimetype },
            ["sha1"] = item.Sha1,
            ["truncated"] = item.Truncated,
        };
    }

    private static bool IsAttachment(ItemRecord item) => item.ItemType == "attachment";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    /// <summary>Event ids are 32 lowercase hex characters; a UUID with dashes or in upper case is accepted too.</summary>
    private static string? NormalizeEventId(string eventId)
    {
        var compact = eventId.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
        return compact.Length == 32 && compact.All(char.IsAsciiHexDigitLower) ? compact : null;
    }
}
