namespace Grains.Server.Accounts;

/// <summary>A member's role in an organization, as Sentry names them (least to most privileged).</summary>
public enum OrganizationRole
{
    /// <summary>Sees and acts on issues, manages alert rules; cannot change keys, quotas, filters or members.</summary>
    Member = 0,

    /// <summary>Everything a member does, plus projects' settings (keys, quotas, filters, spike protection) and members (not owners).</summary>
    Manager = 1,

    /// <summary>Everything, including other owners and the organization itself.</summary>
    Owner = 2,
}
