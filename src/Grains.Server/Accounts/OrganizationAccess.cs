using Grains.Monitoring.Storage;

namespace Grains.Server.Accounts;

/// <summary>What the current user (or API token) may do in one organization.</summary>
/// <param name="Organization">The organization.</param>
/// <param name="Role">The role that decides; an admin API token acts as an owner.</param>
public sealed record OrganizationAccess(OrganizationRecord Organization, OrganizationRole Role)
{
    /// <summary>Whether the role allows <paramref name="permission"/>.</summary>
    public bool Can(Permission permission) => permission switch
    {
        Permission.Read or Permission.ActOnIssues or Permission.ManageAlerts => true,
        Permission.ManageProjects or Permission.ManageMembers => Role >= OrganizationRole.Manager,
        _ => Role == OrganizationRole.Owner,
    };
}
