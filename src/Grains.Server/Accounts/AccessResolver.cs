using System.Security.Claims;
using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;

namespace Grains.Server.Accounts;

/// <summary>
/// Resolves what a signed-in user (or an API token) may do in an organization: the one place pages and
/// API endpoints ask. A user's role is their membership's; the admin API token is an owner everywhere;
/// anyone else (not a member, or anonymous) gets null, exactly as for an organization that does not exist.
/// </summary>
public sealed class AccessResolver(IDirectoryStore directory, IAccountStore accounts)
{
    /// <summary>The user's access to the organization <paramref name="organizationSlug"/>, or null when it does not exist or the user is not a member (pages answer 404 then).</summary>
    public async Task<OrganizationAccess?> ResolveAsync(ClaimsPrincipal user, string organizationSlug, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true || string.IsNullOrEmpty(organizationSlug))
        {
            return null;
        }

        var organization = await directory.GetOrganizationAsync(organizationSlug, cancellationToken);
        return organization is null ? null : await ResolveAsync(user, organization, cancellationToken);
    }

    /// <summary>The user's access to <paramref name="organization"/>, or null when the user is not a member.</summary>
    public async Task<OrganizationAccess?> ResolveAsync(ClaimsPrincipal user, OrganizationRecord organization, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(organization);
        if (AccountClaims.IsAdminToken(user))
        {
            return new OrganizationAccess(organization, OrganizationRole.Owner);
        }

        if (AccountClaims.UserId(user) is not { } userId)
        {
            return null;
        }

        var member = await accounts.GetMemberAsync(organization.Id, userId, cancellationToken);
        return member is not null && Roles.Parse(member.Role) is { } role ? new OrganizationAccess(organization, role) : null;
    }
}
