using Grains.Monitoring.Storage;
using Grains.Server.Accounts;

namespace Grains.Server.Api.Infrastructure;

/// <summary>
/// Checks an API request's access to an organization: a token whose user is not a member gets 404, as
/// for an organization that does not exist (a URL does not reveal another organization); a member whose
/// role lacks the route's <see cref="ApiPermissions"/> gets Sentry's 403. The admin token is an owner everywhere.
/// </summary>
internal sealed class ApiAccess(AccessResolver resolver, IHttpContextAccessor accessor)
{
    /// <summary>Sentry's (Django REST framework's) 403 body.</summary>
    public const string ForbiddenDetail = "You do not have permission to perform this action.";

    private const string CheckedKey = "grains.api.checked-organization";

    /// <summary>Throws 404 or 403 unless the current API request may act on <paramref name="organization"/>; outside an API request, does nothing.</summary>
    public async Task EnsureAsync(OrganizationRecord organization, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        if (accessor.HttpContext is not { } http || !http.Request.Path.StartsWithSegments(SentryApiEndpoints.BasePath))
        {
            return;
        }

        if (http.Items.TryGetValue(CheckedKey, out var checkedId) && checkedId is long id && id == organization.Id)
        {
            return;
        }

        var access = await resolver.ResolveAsync(http.User, organization, cancellationToken) ?? throw ApiException.NotFound();
        if (!access.Can(ApiPermissions.Required(http)))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, ForbiddenDetail);
        }

        http.Items[CheckedKey] = organization.Id;
    }
}
