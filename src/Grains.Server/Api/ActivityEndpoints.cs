using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Issues.Activities;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// An issue's activities (<c>…/issues/{id}/activities/</c>) and notes (<c>POST …/issues/{id}/comments/</c>,
/// body <c>{"text": …}</c>), in Sentry's activity JSON (<c>id</c>, <c>user</c>, <c>sentry_app</c>, <c>type</c>, <c>data</c>, <c>dateCreated</c>).
/// </summary>
internal static class ActivityEndpoints
{
    /// <summary>The longest note accepted (Sentry's note serializer has no explicit limit; this keeps rows small).</summary>
    public const int MaxNoteLength = 64 * 1024;

    public static void Map(RouteGroupBuilder issue)
    {
        issue.MapGet("/activities/", ListAsync);
        issue.MapPost("/comments/", AddNoteAsync);
    }

    /// <summary>The issue's activities as Sentry lists them (newest first).</summary>
    public static async Task<JsonArray> ActivitiesAsync(long issueId, IWorkflowStore store, CancellationToken cancellationToken) =>
        new([.. (await store.GetActivitiesAsync(issueId, cancellationToken)).Select(a => (JsonNode)Json(a))]);

    private static async Task<IResult> ListAsync(string id, HttpContext http, ApiDirectory directory, IWorkflowStore store, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        return ApiResults.Json(new JsonObject { ["activity"] = await ActivitiesAsync(context.Issue.Id, store, cancellationToken) }, ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> AddNoteAsync(string id, HttpContext http, ApiDirectory directory, IWorkflowStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var text = JsonBody.String(body, "text");
        if (string.IsNullOrWhiteSpace(text))
        {
            return ApiResults.Json(new JsonObject { ["text"] = new JsonArray("This field is required.") }, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest);
        }

        if (text.Length > MaxNoteLength)
        {
            throw ApiException.BadRequest($"'text' must be at most {MaxNoteLength} characters.");
        }

        var stored = await SaveNoteAsync(context.Issue, text, store, time, cancellationToken);
        return ApiResults.Json(stored, ApiJsonContext.Default.JsonObject, StatusCodes.Status201Created);
    }

    /// <summary>Stores a note (already checked: not blank, at most <see cref="MaxNoteLength"/>) and answers it as Sentry's activity JSON; the dashboard's comment form uses it too.</summary>
    internal static async Task<JsonObject> SaveNoteAsync(IssueRecord issue, string text, IWorkflowStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var issueId = issue.Id;
        var key = $"{issueId}:note:{Guid.NewGuid():N}";
        var note = new IssueActivity(key, issueId, ActivityTypes.Note, new JsonObject { ["text"] = text }.ToJsonString(), time.GetUtcNow());
        await store.SaveAsync(new WorkflowWrite(issueId, issue.GrainKey, [], [note], null, WritesDue: false), cancellationToken);
        var stored = (await store.GetActivitiesAsync(issueId, cancellationToken)).FirstOrDefault(a => a.Key == key) ?? note;
        return Json(stored);
    }

    private static JsonObject Json(IssueActivity activity) => new()
    {
        ["id"] = DirectorySerializer.Id(activity.Id),
        ["user"] = null,
        ["sentry_app"] = null,
        ["type"] = activity.Type,
        ["data"] = Data(activity.DataJson),
        ["dateCreated"] = ApiTime.Format(activity.DateCreated),
    };

    private static JsonNode Data(string json)
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? new JsonObject();
        }
        catch (JsonException)
        {
            return new JsonObject();
        }
    }
}
