using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api;

/// <summary><c>/api/0/organizations/</c>: list, create, get.</summary>
internal static partial class OrganizationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/organizations/", ListAsync);
        api.MapPost("/organizations/", CreateAsync);
        api.MapGet("/organizations/{org}/", GetAsync);
    }

    private static async Task<IResult> ListAsync(ApiDirectory directory, CancellationToken cancellationToken)
    {
        var organizations = await directory.Store.ListOrganizationsAsync(cancellationToken);
        return ApiResults.Json([.. organizations.Select(DirectorySerializer.Organization)], ApiJsonContext.Default.ListOrganizationDto);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ApiDirectory directory, ApiLog log, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = Names.Required(JsonBody.String(body, "name"), "name");
        var slug = Slugs.FromInput(JsonBody.String(body, "slug"), name, "slug");
        var organization = await directory.Store.CreateOrganizationAsync(slug, name, cancellationToken);
        LogCreated(log.Logger, organization.Slug, organization.Id);
        return ApiResults.Json(DirectorySerializer.Organization(organization), ApiJsonContext.Default.OrganizationDto, StatusCodes.Status201Created);
    }

    private static async Task<IResult> GetAsync(string org, ApiDirectory directory, CancellationToken cancellationToken)
    {
        var organization = await directory.OrganizationAsync(org, cancellationToken);
        return ApiResults.Json(DirectorySerializer.Organization(organization), ApiJsonContext.Default.OrganizationDto);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Organization {Slug} ({OrganizationId}) created")]
    private static partial void LogCreated(ILogger logger, string slug, long organizationId);
}
