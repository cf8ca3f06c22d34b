using Grains.Monitoring.Issues;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Models;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// The one path every issue update takes (one issue, the organization's bulk update, the project's):
/// resolve release-based resolutions per project, change each issue through its grain, and answer
/// Sentry's change set (api-shapes §f), not the issue; 204 when no issue matched.
/// </summary>
internal static partial class IssueUpdates
{
    public const string MultipleProjectsDetail = "Cannot set resolved in next release for multiple projects.";

    public static async Task<IResult> ApplyAsync(
        IReadOnlyList<IssueRecord> targets,
        ParsedStatusUpdate? parsed,
        IWorkflowStore store,
        IGrainFactory grains,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        if (targets.Count == 0)
        {
            return Results.NoContent();
        }

        if (parsed is null)
        {
            // Only fields Grains does not track were given: nothing changed.
            return ApiResults.Json([], ApiJsonContext.Default.JsonObject);
        }

        if (parsed.InNextRelease && targets.Select(t => t.ProjectId).Distinct().Skip(1).Any())
        {
            throw ApiException.BadRequest(MultipleProjectsDetail);
        }

        var updates = new Dictionary<long, IssueStatusUpdate>();
        foreach (var projectId in targets.Select(t => t.ProjectId).Distinct())
        {
            updates[projectId] = await ReleaseResolutions.ResolveAsync(parsed, projectId, store, cancellationToken);
        }

        IssueRecord? last = null;
        IssueStatusUpdate? applied = null;
        foreach (var issue in targets)
        {
            try
            {
                applied = updates[issue.ProjectId];
                last = await grains.GetGrain<IIssueGrain>(issue.GrainKey).UpdateStatusAsync(applied);
                LogStatus(logger, issue.Id, last.Status, last.Substatus);
            }
            catch (KeyNotFoundException)
            {
                // Deleted since the lookup: skipped, as Sentry skips groups it no longer finds.
            }
        }

        if (last is null || applied is null)
        {
            return Results.NoContent();
        }

        var change = new StatusChangeDto(last.Status, last.Substatus, IssueSerializer.ParseObject(applied.StatusDetailsJson ?? "{}"), Inbox: null);
        return ApiResults.Json(change, ApiJsonContext.Default.StatusChangeDto);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue {IssueId} status set to {Status} ({Substatus})")]
    private static partial void LogStatus(ILogger logger, long issueId, string status, string? substatus);
}
