using Grains.Monitoring.Projects;

using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary>
/// Projects: <c>/api/0/organizations/{org}/projects/</c> (list, create) and
/// <c>/api/0/projects/{org}/{project}/</c> (get, update, delete). Changes go through the project grain,
/// the single writer that tells the ingest edge to drop its cached lookups.
/// </summary>
internal static partial class ProjectEndpoints
{
    /// <summary>Sentry creates one DSN key with each project; this is its name.</summary>
    public const string DefaultKeyName = "Default";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/organizations/{org}/projects/", ListAsync);
        api.MapPost("/organizations/{org}/projects/", CreateAsync);
        api.MapGet("/projects/{org}/{project}/", GetAsync);
        api.MapPut("/projects/{org}/{project}/", UpdateAsync);
        api.MapDelete("/projects/{org}/{project}/", DeleteAsync);
    }

    private static async Task<IResult> ListAsync(string org, ApiDirectory directory, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var projects = await directory.Store.ListProjectsAsync(organization.Id, cancellationToken);
        return ApiResults.Json([.. projects.Select(DirectorySerializer.Project)], ApiJsonContext.Default.ListProjectDto);
    }

    private static async Task<IResult> CreateAsync(string org, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = Names.Required(JsonBody.String(body, "name"), "name");
        var slug = Slugs.FromInput(JsonBody.String(body, "slug"), name, "slug");
        var platform = Platform(JsonBody.String(body, "platform"));
        var project = await directory.Store.CreateProjectAsync(organization.Id, slug, name, platform, cancellationToken);
        await grains.GetGrain<IProjectGrain>(project.Id).CreateKeyAsync(DefaultKeyName);
        LogCreated(log.Logger, organization.Slug, project.Slug, project.Id);
        return ApiResults.Json(DirectorySerializer.ProjectDetail(project, organization), ApiJsonContext.Default.ProjectDto, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string org, string project, ApiDirectory directory, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        return ApiResults.Json(DirectorySerializer.ProjectDetail(record, organization), ApiJsonContext.Default.ProjectDto);
    }

    private static async Task<IResult> UpdateAsync(string org, string project, HttpContext http, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var slug = JsonBody.String(body, "slug");
        if (slug is not null && !Slugs.IsValid(slug))
        {
            throw ApiException.BadRequest($"'slug' must be 1 to {Slugs.MaxLength} lowercase letters, digits, '-' or '_', and not only digits.");
        }

        var update = new ProjectUpdate(
            Name: Names.Optional(JsonBody.String(body, "name"), "name"),
            Slug: slug,
            Platform: Platform(JsonBody.String(body, "platform")),
            FingerprintRules: JsonBody.String(body, "fingerprintingRules"),
            StackTraceRules: JsonBody.String(body, "groupingEnhancements"));
        try
        {
            var updated = await grains.GetGrain<IProjectGrain>(record.Id).UpdateAsync(update);
            LogUpdated(log.Logger, organization.Slug, updated.Slug, updated.Id);
            return ApiResults.Json(DirectorySerializer.ProjectDetail(updated, organization), ApiJsonContext.Default.ProjectDto);
        }
        catch (ArgumentException e)
        {
            // The grain validates fingerprint and stack-trace rules and names the bad rule.
            throw ApiException.BadRequest(e.Message);
        }
        catch (KeyNotFoundException)
        {
            throw ApiException.NotFound();
        }
    }

    private static async Task<IResult> DeleteAsync(string org, string project, ApiDirectory directory, IGrainFactory grains, ApiLog log, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        try
        {
            await grains.GetGrain<IProjectGrain>(record.Id).DeleteAsync();
        }
        catch (KeyNotFoundException)
        {
            throw ApiException.NotFound();
        }

        LogDeleted(log.Logger, organization.Slug, record.Slug, record.Id);
        return Results.NoContent();
    }

    private static string? Platform(string? platform)
    {
        if (platform is null)
        {
            return null;
        }

        return platform.Length <= Names.MaxLength && platform.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.' or '_')
            ? platform
            : throw ApiException.BadRequest("'platform' must be a platform id such as 'javascript' or 'python'.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Organization}/{Slug} ({ProjectId}) created")]
    private static partial void LogCreated(ILogger logger, string organization, string slug, long projectId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Organization}/{Slug} ({ProjectId}) updated")]
    private static partial void LogUpdated(ILogger logger, string organization, string slug, long projectId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Project {Organization}/{Slug} ({ProjectId}) deleted")]
    private static partial void LogDeleted(ILogger logger, string organization, string slug, long projectId);
}
