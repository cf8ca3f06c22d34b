using System.Security.Claims;
using Grains.Monitoring.Storage;

namespace Grains.Server.Accounts;

/// <summary>
/// Resolves what a signed-in user may do in an organization: the one place pages and API endpoints ask.
/// </summary>
/// <remarks>
/// PLACEHOLDER until accounts land: every authenticated principal is an owner of every organization.
/// The accounts work replaces the body with the membership lookup; the signature stays.
/// </remarks>
public sealed class AccessResolver(IDirectoryStore directory)
{
    /// <summary>The user's access to the organization <paramref name="organizationSlug"/>, or null when it does not exist or the user is not a member (pages answer 404 then).</summary>
    public async Task<OrganizationAccess?> ResolveAsync(ClaimsPrincipal user, string organizationSlug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var organization = await directory.GetOrganizationAsync(organizationSlug, cancellationToken);
        return organization is null ? null : new OrganizationAccess(organization, OrganizationRole.Owner);
    }
}
