using System.Globalization;
using System.Text.Json.Nodes;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Releases;

/// <summary>
/// Releases recorded from events, in Sentry's shapes (api-shapes §f "Releases"):
/// <c>/api/0/organizations/{org}/releases/</c>, <c>…/releases/{version}/</c> and
/// <c>/api/0/projects/{org}/{project}/releases/</c>. <c>newGroups</c> counts the issues whose first
/// release it is, when asked.
/// </summary>
internal static class ReleaseEndpoints
{
    private const int DefaultPerPage = 100;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{org}/releases/", ListOrganizationAsync);
        api.MapGet("/organizations/{org}/releases/{version}/", GetAsync);
        api.MapGet("/projects/{org}/{project}/releases/", ListProjectAsync);
    }

    private static async Task<IResult> ListOrganizationAsync(string org, HttpContext http, ApiDirectory directory, IWorkflowStore store, ApiUrls urls, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var projects = await directory.Store.ListProjectsAsync(organization.Id, cancellationToken);
        var selected = ProjectFilter(http.Request, projects);
        return await ListAsync(http, organization, projects, selected, store, urls, cancellationToken);
    }

    private static async Task<IResult> ListProjectAsync(string org, string project, HttpContext http, ApiDirectory directory, IWorkflowStore store, ApiUrls urls, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        return await ListAsync(http, organization, [record], [record.Id], store, urls, cancellationToken);
    }

    private static async Task<IResult> GetAsync(string org, string version, HttpContext http, ApiDirectory directory, IWorkflowStore store, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var projects = await directory.Store.ListProjectsAsync(organization.Id, cancellationToken);
        var releases = await LoadAsync(organization, projects, null, [], null, store, cancellationToken);
        var release = releases.FirstOrDefault(r => r.Version == version) ?? throw ApiException.NotFound();
        return ApiResults.Json(release.Json, ApiJsonContext.Default.JsonObject);
    }

    private static async Task<IResult> ListAsync(HttpContext http, OrganizationRecord organization, IReadOnlyList<ProjectRecord> projects, IReadOnlyCollection<long>? selected, IWorkflowStore store, ApiUrls urls, CancellationToken cancellationToken)
    {
        var request = http.Request;
        var perPage = PerPage(request);
        var offset = Offset(Pagination.Cursor(request));
        var sort = request.Query["sort"].ToString();
        if (sort.Length > 0 && sort is not ("date" or "semver"))
        {
            throw ApiException.BadRequest($"Invalid sort parameter '{sort}': expected date or semver.");
        }

        var query = request.Query["query"].ToString();
        var environments = request.Query["environment"].Where(e => !string.IsNullOrEmpty(e)).Select(e => e!).ToList();
        var releases = await LoadAsync(organization, projects, selected, environments, query.Length == 0 ? null : query, store, cancellationToken);

        // Semver order when every listed version is semver (and no date order was asked for), else newest first seen first.
        var bySemver = sort == "semver" || (sort.Length == 0 && releases.Count > 0 && releases.All(r => r.Semver is not null));
        var ordered = bySemver
            ? releases.OrderByDescending(r => r.Semver).ThenByDescending(r => r.DateCreated).ToList()
            : releases.OrderByDescending(r => r.DateCreated).ThenByDescending(r => r.Version, StringComparer.Ordinal).ToList();
        var page = ordered.Skip(offset).Take(perPage).ToList();
        var next = offset + perPage < ordered.Count ? $"0:{offset + perPage}:0" : null;
        var previous = offset > 0 ? $"0:{Math.Max(0, offset - perPage)}:1" : null;
        Pagination.SetLink(http, urls, previous, next);
        return ApiResults.Json(new JsonArray([.. page.Select(r => (JsonNode)r.Json)]), ApiJsonContext.Default.JsonArray);
    }

    private static async Task<List<ReleaseView>> LoadAsync(
        OrganizationRecord organization,
        IReadOnlyList<ProjectRecord> projects,
        IReadOnlyCollection<long>? selected,
        IReadOnlyList<string> environments,
        string? query,
        IWorkflowStore store,
        CancellationToken cancellationToken)
    {
        var rows = await store.ListReleasesAsync(organization.Id, cancellationToken);
        var newGroups = (await store.CountNewGroupsAsync(organization.Id, cancellationToken)).ToDictionary(g => (g.ProjectId, g.Version), g => g.Count);
        var byId = projects.ToDictionary(p => p.Id);
        var views = new List<ReleaseView>();
        foreach (var release in rows.GroupBy(r => r.Version, StringComparer.Ordinal))
        {
            if (query is not null && !release.Key.Contains(query, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Per project: the all-environments row, or the rows of the asked environments.
            var seen = release
                .Where(r => byId.ContainsKey(r.ProjectId) && (selected is null || selected.Contains(r.ProjectId)))
                .Where(r => environments.Count == 0 ? r.Environment.Length == 0 : environments.Contains(r.Environment))
                .ToList();
            if (seen.Count == 0)
            {
                continue;
            }

            views.Add(View(release.First(), seen, byId, newGroups));
        }

        return views;
    }

    private static ReleaseView View(ReleaseRow release, List<ReleaseRow> seen, Dictionary<long, ProjectRecord> projects, Dictionary<(long, string), long> newGroups)
    {
        var version = release.Version;
        var semver = SemanticVersion.TryParse(version);
        var projectList = new JsonArray();
        long total = 0;
        foreach (var projectId in seen.Select(r => r.ProjectId).Distinct().Order())
        {
            var project = projects[projectId];
            var count = newGroups.GetValueOrDefault((projectId, version));
            total += count;
            projectList.Add(new JsonObject
            {
                ["id"] = projectId,
                ["slug"] = project.Slug,
                ["name"] = project.Name,
                ["newGroups"] = count,
                ["platform"] = project.Platform,
                ["platforms"] = project.Platform is null ? new JsonArray() : new JsonArray(project.Platform),
                ["hasHealthData"] = false,
            });
        }

        var json = new JsonObject
        {
            ["id"] = release.Id,
            ["version"] = version,
            ["shortVersion"] = ShortVersion(version, semver),
            ["status"] = "open",
            ["versionInfo"] = VersionInfo(version, semver),
            ["ref"] = null,
            ["url"] = null,
            ["dateReleased"] = null,
            ["dateCreated"] = ApiTime.Format(release.DateCreated),
            ["data"] = new JsonObject(),
            ["newGroups"] = total,
            ["owner"] = null,
            ["commitCount"] = 0,
            ["lastCommit"] = null,
            ["deployCount"] = 0,
            ["lastDeploy"] = null,
            ["authors"] = new JsonArray(),
            ["projects"] = projectList,
            ["firstEvent"] = ApiTime.Format(seen.Min(r => r.FirstSeen)),
            ["lastEvent"] = ApiTime.Format(seen.Max(r => r.LastSeen)),
            ["currentProjectMeta"] = new JsonObject(),
            ["userAgent"] = null,
        };
        return new ReleaseView(version, semver, release.DateCreated, json);
    }

    private static string ShortVersion(string version, SemanticVersion? semver)
    {
        var text = semver?.Package is null ? version : version[(version.LastIndexOf('@') + 1)..];
        return text.Length == 40 && text.All(char.IsAsciiHexDigit) ? text[..12] : text;
    }

    private static JsonObject VersionInfo(string version, SemanticVersion? semver)
    {
        var raw = semver?.Package is null ? version : version[(version.LastIndexOf('@') + 1)..];
        var detail = new JsonObject { ["raw"] = raw };
        if (semver is not null)
        {
            detail["major"] = semver.Major;
            detail["minor"] = semver.Minor;
            detail["patch"] = semver.Patch;
            detail["revision"] = semver.Revision;
            detail["pre"] = semver.Prerelease;
            detail["buildCode"] = semver.Build;
            detail["components"] = raw.Split('+')[0].Split('-')[0].Split('.').Length;
        }

        return new JsonObject
        {
            ["package"] = semver?.Package,
            ["version"] = detail,
            ["description"] = raw,
            ["buildHash"] = null,
        };
    }

    private static List<long>? ProjectFilter(HttpRequest request, IReadOnlyList<ProjectRecord> projects)
    {
        var given = request.Query["project"];
        if (given.Count == 0)
        {
            return null;
        }

        var ids = new List<long>();
        foreach (var raw in given)
        {
            if (!long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                throw ApiException.BadRequest($"Invalid project parameter '{raw}': expected a project id.");
            }

            if (id == -1)
            {
                return null;
            }

            if (projects.All(p => p.Id != id))
            {
                throw new ApiException(StatusCodes.Status403Forbidden, "You do not have permission to perform this action.");
            }

            ids.Add(id);
        }

        return ids;
    }

    private static int PerPage(HttpRequest request)
    {
        var raw = request.Query["per_page"].ToString();
        if (raw.Length == 0)
        {
            return DefaultPerPage;
        }

        return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= Pagination.MaxLimit
            ? value
            : throw ApiException.BadRequest($"Invalid per_page parameter '{raw}': expected an integer from 1 to {Pagination.MaxLimit}.");
    }

    /// <summary>The offset of Sentry's <c>value:offset:is_prev</c> cursor (this list's cursors carry the offset of their page).</summary>
    private static int Offset(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }

        var parts = cursor.Split(':');
        return parts.Length == 3 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var offset) && parts[2] is "0" or "1"
            ? offset
            : throw ApiException.BadRequest("Invalid cursor parameter.");
    }

    private sealed record ReleaseView(string Version, SemanticVersion? Semver, DateTimeOffset DateCreated, JsonObject Json);
}
