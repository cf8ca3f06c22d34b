using Grains.Monitoring.Accounts;

namespace Grains.Server.Accounts;

/// <summary>Maps <see cref="OrganizationRole"/> to and from the stored (and Sentry's API) names.</summary>
public static class Roles
{
    /// <summary>The stored name of <paramref name="role"/>: <c>member</c>, <c>manager</c> or <c>owner</c>.</summary>
    public static string Name(OrganizationRole role) => role switch
    {
        OrganizationRole.Owner => MemberRoles.Owner,
        OrganizationRole.Manager => MemberRoles.Manager,
        _ => MemberRoles.Member,
    };

    /// <summary>The role named <paramref name="name"/> (case-insensitive), or null when it is not one.</summary>
    public static OrganizationRole? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        MemberRoles.Owner => OrganizationRole.Owner,
        MemberRoles.Manager => OrganizationRole.Manager,
        MemberRoles.Member => OrganizationRole.Member,
        _ => null,
    };
}
