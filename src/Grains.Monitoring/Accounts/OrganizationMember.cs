namespace Grains.Monitoring.Accounts;

/// <summary>A user's membership of an organization.</summary>
/// <param name="OrganizationId">The organization.</param>
/// <param name="User">The member.</param>
/// <param name="Role">One of <see cref="MemberRoles"/>.</param>
/// <param name="DateCreated">When the user became a member.</param>
public sealed record OrganizationMember(long OrganizationId, UserRecord User, string Role, DateTimeOffset DateCreated);
