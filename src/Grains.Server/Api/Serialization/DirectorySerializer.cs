using System.Text.Json.Nodes;
using Grains.Monitoring.Projects.Options;
using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Models;

namespace Grains.Server.Api.Serialization;

/// <summary>Organizations, projects and DSN keys in Sentry's shapes.</summary>
internal static class DirectorySerializer
{
    private static readonly OrganizationStatusDto Active = new("active", "active");
    private static readonly AvatarDto LetterAvatar = new("letter_avatar", null);

    public static OrganizationDto Organization(OrganizationRecord organization) => new(
        organization.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        organization.Slug,
        organization.Name,
        ApiTime.Format(organization.DateCreated),
        Active,
        IsEarlyAdopter: false,
        Require2FA: false,
        LetterAvatar,
        Features: []);

    public static ProjectDto Project(ProjectRecord project) => new()
    {
        Id = Id(project.Id),
        Slug = project.Slug,
        Name = project.Name,
        Platform = project.Platform,
        DateCreated = ApiTime.Format(project.DateCreated),
    };

    public static ProjectDto ProjectDetail(ProjectRecord project, OrganizationRecord organization, ProjectOptions? options = null) => Project(project) with
    {
        Organization = Organization(organization),
        GroupingConfig = project.GroupingConfigId,
        FingerprintingRules = project.FingerprintRules,
        GroupingEnhancements = project.StackTraceRules,
        Options = Options(options ?? ProjectOptions.Empty),
    };

    /// <summary>The options the project JSON echoes, each in its API form (lists as newline-joined strings).</summary>
    public static JsonObject Options(ProjectOptions options)
    {
        var json = new JsonObject();
        foreach (var option in ProjectOptionRegistry.Default.All)
        {
            if (option.InProjectDetails)
            {
                json[option.Key] = option.ToApi(options);
            }
        }

        return json;
    }

    public static ProjectRefDto ProjectRef(ProjectRecord project) => new(Id(project.Id), project.Name, project.Slug, project.Platform);

    public static KeyDto Key(ProjectKeyRecord key, ApiUrls urls, HttpRequest request) => new(
        key.Id,
        key.Name,
        key.Name,
        key.PublicKey,
        key.SecretKey,
        key.ProjectId,
        key.IsActive,
        RateLimit: key.RateLimitCount is { } count && key.RateLimitWindow is { } window ? new RateLimitDto(window, count) : null,
        new KeyDsnDto(
            urls.Dsn(request, key.PublicKey, null, key.ProjectId),
            urls.Dsn(request, key.PublicKey, key.SecretKey, key.ProjectId)),
        ApiTime.Format(key.DateCreated));

    public static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
