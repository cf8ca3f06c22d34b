using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;

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

    private static async Task<IResult> CreateAsync(
        string org, HttpContext http, ApiDirectory directory, IGrainFactory grains, IRuleStore rules, TimeProvider time, ProjectChangeNotifier notifier, ApiLog log, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = Names.Required(JsonBody.String(body, "name"), "name");
        var slug = Slugs.FromInput(JsonBody.String(body, "slug"), name, "slug");
        var platform = Platform(JsonBody.String(body, "platform"));
        var project = await directory.Store.CreateProjectAsync(organization.Id, slug, name, platform, cancellationToken);
        await grains.GetGrain<IProjectGrain>(project.Id).CreateKeyAsync(DefaultKeyName);

        // Sentry's default_rules (true unless the body says false): "Send a notification for new issues".
        if (JsonBody.Boolean(body, "default_rules") ?? true)
        {
            await DefaultAlertRule.EnsureAsync(rules, project.Id, time, notifier, cancellationToken);
        }

        LogCreated(log.Logger, organization.Slug, project.Slug, project.Id);
        return ApiResults.Json(DirectorySerializer.ProjectDetail(project, organization), ApiJsonContext.Default.ProjectDto, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string org, string project, ApiDirectory directory, IGrainFactory grains, CancellationToken cancellationToken)
    {
        var (organization, record) = await directory.ProjectAsync(org, project, cancellationToken);
        var options = await grains.GetGrain<IProjectGrain>(record.Id).GetOptionsAsync();
        return ApiResults.Json(DirectorySerializer.ProjectDetail(record, organization, options), ApiJsonContext.Default.ProjectDto);
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
        var grain = grains.GetGrain<IProjectGrain>(record.Id);
        try
        {
            // Options first: a bad one answers 400 before anything changed.
            var options = await UpdateOptionsAsync(grain, JsonBody.Object(body, "options"));
            if (options.Errors is { } errors)
            {
                return errors;
            }

            var updated = await grain.UpdateAsync(update);
            LogUpdated(log.Logger, organization.Slug, updated.Slug, updated.Id);
            return ApiResults.Json(DirectorySerializer.ProjectDetail(updated, organization, options.Options), ApiJsonContext.Default.ProjectDto);
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

    /// <summary>
    /// Sentry's legacy <c>options</c> dict: the keys the project JSON echoes are validated by their
    /// option classes and saved together; other keys are ignored, as Sentry ignores them. Invalid values
    /// answer 400 with the errors per key, in Django REST framework's shape for a nested field.
    /// </summary>
    private static async Task<(ProjectOptions Options, IResult? Errors)> UpdateOptionsAsync(IProjectGrain grain, JsonElement? options)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        if (options is { } dict)
        {
            foreach (var property in dict.EnumerateObject())
            {
                if (ProjectOptionRegistry.Default.Find(property.Name) is { InProjectDetails: true })
                {
                    inputs[property.Name] = property.Value.GetRawText();
                }
            }
        }

        if (inputs.Count == 0)
        {
            return (await grain.GetOptionsAsync(), null);
        }

        var result = await grain.UpdateOptionsAsync(inputs);
        if (result.Options is { } updated)
        {
            return (updated, null);
        }

        var fields = new JsonObject();
        foreach (var (key, error) in result.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            fields[key] = new JsonArray(JsonValue.Create(error));
        }

        return (ProjectOptions.Empty, ApiResults.Json(new JsonObject { ["options"] = fields }, ApiJsonContext.Default.JsonObject, StatusCodes.Status400BadRequest));
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
