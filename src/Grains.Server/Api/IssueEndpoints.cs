using Grains.Monitoring.Issues;
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

    private static async Task<IResult> GetAsync(string id, HttpContext http, ApiDirectory directory, IIssueStore issues, ApiUrls urls, TimeProvider time, CancellationToken cancellationToken)
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
        return ApiResults.Json(IssueSerializer.Detail(summary, context.Issue, tags), ApiJsonContext.Default.IssueDetailDto);
    }

    private static async Task<IResult> UpdateAsync(string id, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiUrls urls, TimeProvider time, ApiLog log, CancellationToken cancellationToken)
    {
        var context = await IssueRoutes.ResolveAsync(http, directory, id);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var update = StatusUpdateParser.Parse(body, time.GetUtcNow());
        var issue = context.Issue;
        if (update is not null)
        {
            try
            {
                issue = await grains.GetGrain<IIssueGrain>(issue.GrainKey).UpdateStatusAsync(update);
            }
            catch (KeyNotFoundException)
            {
                throw ApiException.NotFound();
            }

            LogStatus(log.Logger, issue.Id, issue.Status, issue.Substatus);
        }

        return ApiResults.Json(Summary(http, urls, context, issue, stats: null), ApiJsonContext.Default.IssueDto);
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue {IssueId} status set to {Status} ({Substatus})")]
    private static partial void LogStatus(ILogger logger, long issueId, string status, string? substatus);

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue {IssueId} deleted")]
    private static partial void LogDeleted(ILogger logger, long issueId);
}
