namespace Grains.Monitoring.Accounts;

/// <summary>The stored names of organization roles, as Sentry spells them in <c>orgRole</c>.</summary>
public static class MemberRoles
{
    public const string Member = "member";

    public const string Manager = "manager";

    public const string Owner = "owner";

    /// <summary>Whether <paramref name="role"/> is one of the stored names.</summary>
    public static bool IsKnown(string? role) => role is Member or Manager or Owner;
}
