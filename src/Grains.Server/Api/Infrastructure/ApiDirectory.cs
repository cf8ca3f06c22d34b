using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Resolves the organizations, projects and issues named in API paths, answering 404 for anything
/// that does not exist or does not belong to the organization in the path.
/// </summary>
internal sealed class ApiDirectory(IDirectoryStore directory, IIssueStore issues, IServiceProvider services)
{
    public IDirectoryStore Store => directory;

    // Resolved late: ApiAccess's resolver is registered with the dashboard's services.
    private ApiAccess Access => services.GetRequiredService<ApiAccess>();

    /// <summary>The organization, when the request may act on it (else 404, or 403 for a role that may not).</summary>
    public async Task<OrganizationRecord> OrganizationAsync(string slug, CancellationToken cancellationToken)
    {
        var organization = await directory.GetOrganizationAsync(slug, cancellationToken) ?? throw ApiException.NotFound();
        await Access.EnsureAsync(organization, cancellationToken);
        return organization;
    }

    public async Task<(OrganizationRecord Organization, ProjectRecord Project)> ProjectAsync(string organizationSlug, string projectSlug, CancellationToken cancellationToken)
    {
        var organization = await OrganizationAsync(organizationSlug, cancellationToken);
        var project = await directory.GetProjectAsync(organization.Id, projectSlug, cancellationToken) ?? throw ApiException.NotFound();
        return (organization, project);
    }

    /// <summary>
    /// An issue by numeric id or short id (<c>WEB-1A</c>), optionally restricted to an organization.
    /// A short id is resolved without a lookup table: issue ids are derived from the project id and number.
    /// </summary>
    public async Task<IssueContext> IssueAsync(string? organizationSlug, string id, CancellationToken cancellationToken)
    {
        var organization = organizationSlug is null ? null : await OrganizationAsync(organizationSlug, cancellationToken);
        IssueRecord? issue = null;
        if (long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var issueId))
        {
            issue = await issues.GetAsync(issueId, cancellationToken);
        }
        else if (ShortIds.TryParse(id, out var slug, out var number))
        {
            issue = await FindByShortIdAsync(organization, slug, number, cancellationToken);
        }

        if (issue is null)
        {
            throw ApiException.NotFound();
        }

        var project = await directory.GetProjectAsync(issue.ProjectId, cancellationToken) ?? throw ApiException.NotFound();
        if (organization is null)
        {
            var organizations = await directory.ListOrganizationsAsync(cancellationToken);
            organization = organizations.FirstOrDefault(o => o.Id == project.OrganizationId) ?? throw ApiException.NotFound();
            await Access.EnsureAsync(organization, cancellationToken);
        }
        else if (organization.Id != project.OrganizationId)
        {
            throw ApiException.NotFound();
        }

        return new IssueContext(organization, project, issue);
    }

    private async Task<IssueRecord?> FindByShortIdAsync(OrganizationRecord? organization, string slug, long number, CancellationToken cancellationToken)
    {
        var organizations = organization is null ? await directory.ListOrganizationsAsync(cancellationToken) : [organization];
        foreach (var candidate in organizations)
        {
            if (await directory.GetProjectAsync(candidate.Id, slug, cancellationToken) is not { } project || number >= ProjectGrain.IssueIdStride)
            {
                continue;
            }

            var issue = await issues.GetAsync((project.Id * ProjectGrain.IssueIdStride) + number, cancellationToken);
            if (issue is not null && issue.ProjectId == project.Id && issue.ShortNumber == number)
            {
                return issue;
            }
        }

        return null;
    }
}
