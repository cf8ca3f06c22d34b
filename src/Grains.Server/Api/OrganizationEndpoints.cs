using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Server.Accounts;
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

    // A personal token lists the organizations its user is a member of; the admin token lists every one.
    private static async Task<IResult> ListAsync(HttpContext http, ApiDirectory directory, IAccountStore accounts, CancellationToken cancellationToken)
    {
        IEnumerable<OrganizationRecord> organizations = await directory.Store.ListOrganizationsAsync(cancellationToken);
        if (AccountClaims.UserId(http.User) is { } userId)
        {
            var memberOf = (await accounts.ListMembershipsAsync(userId, cancellationToken)).Select(m => m.OrganizationId).ToHashSet();
            organizations = organizations.Where(o => memberOf.Contains(o.Id));
        }

        return ApiResults.Json([.. organizations.Select(DirectorySerializer.Organization)], ApiJsonContext.Default.ListOrganizationDto);
    }

    // A user who creates an organization becomes its owner (Sentry's rule).
    private static async Task<IResult> CreateAsync(HttpContext http, ApiDirectory directory, IAccountStore accounts, ApiLog log, CancellationToken cancellationToken)
    {
        var body = await JsonBody.ReadObjectAsync(http.Request, cancellationToken);
        var name = Names.Required(JsonBody.String(body, "name"), "name");
        var slug = Slugs.FromInput(JsonBody.String(body, "slug"), name, "slug");
        var organization = await directory.Store.CreateOrganizationAsync(slug, name, cancellationToken);
        if (AccountClaims.UserId(http.User) is { } userId)
        {
            await accounts.AddMemberAsync(organization.Id, userId, MemberRoles.Owner, cancellationToken);
        }

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
