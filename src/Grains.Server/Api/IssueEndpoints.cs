using Grains.Monitoring.Issues;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage;

using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Models;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// One issue, by id or short id, at <c>/api/0/issues/{id}/</c> and
/// <c>/api/0/organizations/{org}/issues/{id}/</c>: read from the query store, changed through its grain.
/// </summary>
internal static partial class IssueEndpoints
{
    private const int DetailTopValues = 9;

    public static void Map(RouteGroupBuilder issue)
    {
        issue.MapGet("/", GetAsync);
        issue.MapPut("/", UpdateAsync);
        issue.MapDelete("/", DeleteAsync);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, ApiDirectory directory, IIssueStore issues, IWorkflowStore workflow, ApiUrls urls, TimeProvider time, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var issueId = context.Issue.Id;
        var now = time.GetUtcNow();
        var hourly = await issues.GetStatsAsync([issueId], "24h", now, cancellationToken);
        var daily = await issues.GetStatsAsync([issueId], "30d", now, cancellationToken);
        var stats = new Dictionary<string, IReadOnlyList<long[]>>
        {
            ["24h"] = IssueSerializer.Buckets(hourly.GetValueOrDefault(issueId) ?? []),
            ["30d"] = IssueSerializer.Buckets(daily.GetValueOrDefault(issueId) ?? []),
        };
        var tags = await issues.GetTagsAsync(issueId, DetailTopValues, cancellationToken);
        var summary = Summary(http, urls, context, context.Issue, stats);
        var detail = IssueSerializer.Detail(summary, context.Issue, tags) with { Activity = await ActivityEndpoints.ActivitiesAsync(issueId, workflow, cancellationToken) };
        return ApiResults.Json(detail, ApiJsonContext.Default.IssueDetailDto);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, ApiDirectory directory, IGrainFactory grains, IWorkflowStore workflow, TimeProvider time, ApiLog log, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var update = StatusUpdateParser.Parse(body, time.GetUtcNow());
        return await IssueUpdates.ApplyAsync([context.Issue], update, workflow, grains, log.Logger, cancellationToken);
    }

    private static async Task<IResult> DeleteAsync(string id, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiLog log)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        await grains.GetGrain<IIssueGrain>(context.Issue.GrainKey).DeleteAsync();
        LogDeleted(log.Logger, context.Issue.Id);

        // Sentry answers 202: deletion is asynchronous there (here it is done already).
        return Results.StatusCode(StatusCodes.Status202Accepted);
    }

    private static IssueDto Summary(HttpContext http, ApiUrls urls, IssueContext context, IssueRecord issue, IReadOnlyDictionary<string, IReadOnlyList<long[]>>? stats) =>
        IssueSerializer.Summary(issue, context.Project, urls.IssuePermalink(http.Request, context.Organization.Slug, issue.Id), stats);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue {IssueId} deleted")]
    private static partial void LogDeleted(ILogger logger, long issueId);
}
