namespace Grains.Server.Accounts;

/// <summary>What a page or an API endpoint requires; <see cref="OrganizationAccess.Can"/> maps roles to these.</summary>
public enum Permission
{
    /// <summary>See the organization's issues, events, releases, stats and settings pages that only show.</summary>
    Read,

    /// <summary>Resolve, archive, comment on and otherwise update issues.</summary>
    ActOnIssues,

    /// <summary>Create, edit and delete alert rules (Sentry lets members do this by default).</summary>
    ManageAlerts,

    /// <summary>Change projects: DSN keys, rate limits and quotas, inbound filters, spike protection, plugins; create and delete projects.</summary>
    ManageProjects,

    /// <summary>Add and remove members and set their roles (only an owner grants or removes the owner role).</summary>
    ManageMembers,

    /// <summary>Change the organization itself (its quotas, name) — owners only.</summary>
    ManageOrganization,
}
