using System.Diagnostics;
using System.Text.Json;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Search;
using Grains.Monitoring.Storage;
using Grains.Server.Accounts;
using Grains.Server.Api;
using Grains.Server.Api.Infrastructure;

namespace Grains.Server.Dashboard.Issues;

/// <summary>
/// Reads the issue stream and applies its bulk actions through the same code as the REST API: the
/// store's <see cref="IIssueStore.QueryAsync"/> and <see cref="IIssueStore.GetStatsAsync"/> (one batched
/// stats query for the page's rows), and <see cref="IssueUpdates.ApplyAsync"/> with the body the API's
/// bulk update would receive.
/// </summary>
internal sealed class IssueStreamService(IDirectoryStore directory, IIssueStore issues, IWorkflowStore workflow, IGrainFactory grains, TimeProvider time, ILoggerFactory loggers)
{
    /// <summary>The bulk actions the stream offers, as the API's update bodies.</summary>
    public static IReadOnlyDictionary<IssueBulkAction, string> Bodies { get; } = new Dictionary<IssueBulkAction, string>
    {
        [IssueBulkAction.Resolve] = """{"status":"resolved"}""",
        [IssueBulkAction.Archive] = """{"status":"ignored","substatus":"archived_until_escalating"}""",
    };

    private readonly ILogger _logger = loggers.CreateLogger(ApiLog.Category);

    /// <summary>One page of the stream of <paramref name="organization"/> in <paramref name="state"/>.</summary>
    public async Task<IssueStreamPage> ReadAsync(OrganizationRecord organization, IssueStreamState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        ArgumentNullException.ThrowIfNull(state);
        var now = time.GetUtcNow();
        var projects = await directory.ListProjectsAsync(organization.Id, cancellationToken);
        var environments = (await workflow.ListReleasesAsync(organization.Id, cancellationToken))
            .Select(r => r.Environment)
            .Append(state.Environment ?? "")
            .Where(e => e.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var selected = state.Project is { } id ? projects.Where(p => p.Id == id).ToList() : projects;
        if (selected.Count == 0)
        {
            return new IssueStreamPage(projects, environments, [], null, null, state.Project is null ? null : "There is no such project in this organization.", now);
        }

        IssuePage page;
        try
        {
            page = await issues.QueryAsync(
                new IssueQuery
                {
                    ProjectIds = [.. selected.Select(p => p.Id)],
                    Query = state.StoreQuery,
                    Environments = state.Environment is { } environment ? [environment] : [],
                    Sort = state.Sort,
                    Limit = IssueStreamState.PageSize,
                    Cursor = state.Cursor,
                    Now = now,
                },
                cancellationToken);
        }
        catch (SearchSyntaxException e)
        {
            return new IssueStreamPage(projects, environments, [], null, null, e.Message, now);
        }
        catch (Exception e) when (state.Cursor is not null && e is FormatException or ArgumentException)
        {
            return new IssueStreamPage(projects, environments, [], null, null, "Invalid cursor parameter.", now);
        }

        var stats = page.Issues.Count == 0
            ? new Dictionary<long, IReadOnlyList<(long Start, long Count)>>()
            : await issues.GetStatsAsync([.. page.Issues.Select(i => i.Id)], state.ChartPeriod, now, cancellationToken);
        var byId = projects.ToDictionary(p => p.Id);
        var rows = new List<IssueStreamRow>(page.Issues.Count);
        foreach (var issue in page.Issues)
        {
            if (byId.TryGetValue(issue.ProjectId, out var project))
            {
                rows.Add(new IssueStreamRow(issue, project, ShortIds.Format(project.Slug, issue.ShortNumber), stats.GetValueOrDefault(issue.Id) ?? []));
            }
        }

        return new IssueStreamPage(projects, environments, rows, page.PreviousCursor, page.NextCursor, null, now);
    }

    /// <summary>
    /// Applies <paramref name="action"/> to the issues among <paramref name="issueIds"/> that belong to the
    /// organization (others are ignored, as the API ignores them), after checking the role may act on issues.
    /// </summary>
    /// <returns>How many issues were changed.</returns>
    /// <exception cref="UnauthorizedAccessException">The role may not act on issues.</exception>
    public async Task<int> ApplyAsync(OrganizationAccess access, IReadOnlyCollection<long> issueIds, IssueBulkAction action, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(issueIds);
        if (!access.Can(Permission.ActOnIssues))
        {
            throw new UnauthorizedAccessException("You do not have permission to perform this action.");
        }

        var ids = issueIds.Take(IssueListEndpoints.MaxBulkIds).ToList();
        var projects = await directory.ListProjectsAsync(access.Organization.Id, cancellationToken);
        var targets = await IssueListEndpoints.BulkTargetsAsync(projects, ids, issues, cancellationToken);
        using var body = JsonDocument.Parse(Bodies[action]);
        var update = StatusUpdateParser.Parse(body.RootElement, time.GetUtcNow());
        Debug.Assert(update is not null, "Every bulk body changes the status.");
        await IssueUpdates.ApplyAsync(targets, update, workflow, grains, _logger, cancellationToken);
        return targets.Count;
    }
}
