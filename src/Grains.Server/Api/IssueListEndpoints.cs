using Grains.Monitoring.Issues;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Storage;

using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Models;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// Issue lists from the query store (<c>/api/0/projects/{org}/{project}/issues/</c>,
/// <c>/api/0/organizations/{org}/issues/</c>), the bulk updates of both (by <c>?id=</c> or by query) and the organization's bulk delete by <c>?id=</c>.
/// Lists never activate issue grains; bulk writes go through each issue's grain.
/// </summary>
internal static partial class IssueListEndpoints
{
    /// <summary>Sentry's cap on the issues one bulk mutation may touch.</summary>
    public const int MaxBulkIds = 1000;

    private const string ForbiddenDetail = "You do not have permission to perform this action.";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{org}/{project}/issues/", ListProjectIssuesAsync);
        api.MapGet("/organizations/{org}/issues/", ListOrganizationIssuesAsync);
        api.MapPut("/organizations/{org}/issues/", BulkUpdateAsync);
        api.MapPut("/projects/{org}/{project}/issues/", ProjectBulkUpdateAsync);
        api.MapDelete("/organizations/{org}/issues/", BulkDeleteAsync);
    }

    private static async Task<IResult> ListProjectIssuesAsync(string org, string project, HttpContext http, ApiDirectory directory, IIssueStore issues, ApiUrls urls, TimeProvider time, CancellationToken cancellationToken)
    {
        var parameters = IssueListParameters.Parse(http.Request);
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        return await ListAsync(http, organization, [record], parameters, issues, urls, time, cancellationToken);
    }

    private static async Task<IResult> ListOrganizationIssuesAsync(string org, HttpContext http, ApiDirectory directory, IIssueStore issues, ApiUrls urls, TimeProvider time, CancellationToken cancellationToken)
    {
        var parameters = IssueListParameters.Parse(http.Request);
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var projects = await directory.Store.ListProjectsAsync(organization.Id, cancellationToken);
        return await ListAsync(http, organization, SelectProjects(http.Request, projects), parameters, issues, urls, time, cancellationToken);
    }

    private static async Task<IResult> ListAsync(
        HttpContext http,
        OrganizationRecord organization,
        IReadOnlyList<ProjectRecord> projects,
        IssueListParameters parameters,
        IIssueStore issues,
        ApiUrls urls,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (projects.Count == 0)
        {
            Pagination.SetLink(http, urls, null, null);
            return ApiResults.Json([], ApiJsonContext.Default.ListIssueDto);
        }

        var now = time.GetUtcNow();
        IssuePage page;
        try
        {
            page = await issues.QueryAsync(
                new IssueQuery
                {
                    ProjectIds = [.. projects.Select(p => p.Id)],
                    Query = parameters.Query,
                    Environments = parameters.Environments,
                    Sort = parameters.Sort,
                    Limit = parameters.Limit,
                    Cursor = parameters.Cursor,
                    Now = now,
                },
                cancellationToken);
        }
        catch (Exception e) when (parameters.Cursor is not null && e is FormatException or ArgumentException)
        {
            throw ApiException.BadRequest("Invalid cursor parameter.");
        }

        IReadOnlyDictionary<long, IReadOnlyList<(long Start, long Count)>>? stats = null;
        if (parameters.StatsPeriod is { } period && page.Issues.Count > 0)
        {
            stats = await issues.GetStatsAsync([.. page.Issues.Select(i => i.Id)], period, now, cancellationToken);
        }

        var byId = projects.ToDictionary(p => p.Id);
        var result = new List<IssueDto>(page.Issues.Count);
        foreach (var issue in page.Issues)
        {
            if (!byId.TryGetValue(issue.ProjectId, out var project))
            {
                continue;
            }

            IReadOnlyDictionary<string, IReadOnlyList<long[]>>? issueStats = parameters.StatsPeriod is { } p
                ? new Dictionary<string, IReadOnlyList<long[]>> { [p] = IssueSerializer.Buckets(stats?.GetValueOrDefault(issue.Id) ?? []) }
                : null;
            result.Add(IssueSerializer.Summary(issue, project, urls.IssuePermalink(http.Request, organization.Slug, issue.Id), issueStats));
        }

        Pagination.SetLink(http, urls, page.PreviousCursor, page.NextCursor);
        return ApiResults.Json(result, ApiJsonContext.Default.ListIssueDto);
    }

    /// <summary>The <c>project</c> parameters (ids; <c>-1</c> means all), each of which must be the organization's.</summary>
    private static IReadOnlyList<ProjectRecord> SelectProjects(HttpRequest request, IReadOnlyList<ProjectRecord> projects)
    {
        var given = request.Query["project"];
        if (given.Count == 0)
        {
            return projects;
        }

        var selected = new List<ProjectRecord>();
        foreach (var raw in given)
        {
            if (!long.TryParse(raw, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                throw ApiException.BadRequest($"Invalid project parameter '{raw}': expected a project id.");
            }

            if (id == -1)
            {
                return projects;
            }

            var project = projects.FirstOrDefault(p => p.Id == id) ?? throw new ApiException(StatusCodes.Status403Forbidden, ForbiddenDetail);
            if (!selected.Contains(project))
            {
                selected.Add(project);
            }
        }

        return selected;
    }

    private static async Task<IResult> BulkUpdateAsync(string org, HttpContext http, ApiDirectory directory, IIssueStore issues, IWorkflowStore workflow, IGrainFactory grains, TimeProvider time, ApiLog log, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var projects = SelectProjects(http.Request, await directory.Store.ListProjectsAsync(organization.Id, cancellationToken));
        return await UpdateTargetsAsync(http, projects, directory, issues, workflow, grains, time, log, cancellationToken);
    }

    private static async Task<IResult> ProjectBulkUpdateAsync(string org, string project, HttpContext http, ApiDirectory directory, IIssueStore issues, IWorkflowStore workflow, IGrainFactory grains, TimeProvider time, ApiLog log, CancellationToken cancellationToken)
    {
        var (_, record) = await directory.ProjectAsync(org, project, cancellationToken);
        return await UpdateTargetsAsync(http, [record], directory, issues, workflow, grains, time, log, cancellationToken);
    }

    /// <summary>Bulk update of the organization or one project: by <c>?id=</c>, or without ids the search result (<c>query</c>, at most <see cref="MaxBulkIds"/>).</summary>
    private static async Task<IResult> UpdateTargetsAsync(HttpContext http, IReadOnlyList<ProjectRecord> projects, ApiDirectory directory, IIssueStore issues, IWorkflowStore workflow, IGrainFactory grains, TimeProvider time, ApiLog log, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var update = StatusUpdateParser.Parse(body, time.GetUtcNow());
        var targets = http.Request.Query["id"].Count > 0
            ? await BulkTargetsAsync(projects, BulkIds(http.Request), issues, cancellationToken)
            : await QueryTargetsAsync(http.Request, projects, issues, time, cancellationToken);
        return await IssueUpdates.ApplyAsync(targets, update, workflow, grains, log.Logger, cancellationToken);
    }

    /// <summary>The issues the request's search matches (as the list would show them), at most <see cref="MaxBulkIds"/>.</summary>
    private static async Task<List<IssueRecord>> QueryTargetsAsync(HttpRequest request, IReadOnlyList<ProjectRecord> projects, IIssueStore issues, TimeProvider time, CancellationToken cancellationToken)
    {
        var targets = new List<IssueRecord>();
        if (projects.Count == 0)
        {
            return targets;
        }

        var parameters = IssueListParameters.Parse(request);
        string? cursor = null;
        do
        {
            var page = await issues.QueryAsync(
                new IssueQuery
                {
                    ProjectIds = [.. projects.Select(p => p.Id)],
                    Query = parameters.Query,
                    Environments = parameters.Environments,
                    Sort = parameters.Sort,
                    Limit = Pagination.MaxLimit,
                    Cursor = cursor,
                    Now = time.GetUtcNow(),
                },
                cancellationToken);
            targets.AddRange(page.Issues.Take(MaxBulkIds - targets.Count));
            cursor = page.NextCursor;
        }
        while (cursor is not null && targets.Count < MaxBulkIds);

        return targets;
    }

    private static async Task<IResult> BulkDeleteAsync(string org, HttpContext http, ApiDirectory directory, IIssueStore issues, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var ids = BulkIds(http.Request);
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var projects = await directory.Store.ListProjectsAsync(organization.Id, cancellationToken);
        foreach (var issue in await BulkTargetsAsync(projects, ids, issues, cancellationToken))
        {
            await grains.GetGrain<IIssueGrain>(issue.GrainKey).DeleteAsync();
            LogDeleted(log.Logger, issue.Id);
        }

        return Results.NoContent();
    }

    private static List<long> BulkIds(HttpRequest request)
    {
        var given = request.Query["id"];
        if (given.Count == 0)
        {
            throw ApiException.BadRequest("Give the issues to delete as ?id=…&id=….");
        }

        if (given.Count > MaxBulkIds)
        {
            throw ApiException.BadRequest($"Too many ids: at most {MaxBulkIds} per request.");
        }

        var ids = new List<long>(given.Count);
        foreach (var raw in given)
        {
            ids.Add(long.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
                ? id
                : throw ApiException.BadRequest($"Invalid id '{raw}': expected an issue id."));
        }

        return ids;
    }

    /// <summary>The issues among <paramref name="ids"/> that exist in <paramref name="projects"/>; others are ignored, as in Sentry.</summary>
    internal static async Task<List<IssueRecord>> BulkTargetsAsync(IReadOnlyList<ProjectRecord> projects, List<long> ids, IIssueStore issues, CancellationToken cancellationToken)
    {
        var allowed = projects.Select(p => p.Id).ToHashSet();
        var targets = new List<IssueRecord>();
        foreach (var id in ids.Distinct())
        {
            if (await issues.GetAsync(id, cancellationToken) is { } issue && allowed.Contains(issue.ProjectId))
            {
                targets.Add(issue);
            }
        }

        return targets;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Issue {IssueId} deleted")]
    private static partial void LogDeleted(ILogger logger, long issueId);
}
