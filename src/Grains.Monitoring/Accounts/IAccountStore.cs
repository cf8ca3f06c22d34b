using Grains.Monitoring.Storage;

namespace Grains.Monitoring.Accounts;

/// <summary>
/// Users, their organization memberships and the dashboard's Data Protection key ring, shared by every
/// silo (SQLite embedded, PostgreSQL in a cluster). Monitoring schema version 10 (users, memberships)
/// and 11 (keys).
/// </summary>
public interface IAccountStore
{
    /// <summary>Whether any user exists (the first start seeds the owner when none does).</summary>
    Task<bool> AnyUserAsync(CancellationToken cancellationToken = default);

    /// <summary>The user with this email, ignoring case, or null.</summary>
    Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>The user, or null.</summary>
    Task<UserRecord?> GetUserAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Creates a user.</summary>
    /// <exception cref="DuplicateEmailException">The email is taken (ignoring case).</exception>
    Task<UserRecord> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default);

    /// <summary>Sets the password hash and a new security stamp (other sessions end); false when there is no such user.</summary>
    Task<bool> SetPasswordAsync(long userId, string passwordHash, string securityStamp, CancellationToken cancellationToken = default);

    /// <summary>
    /// Counts a failed sign-in. The <paramref name="maxFailures"/>th failure in a row locks the user out
    /// until <paramref name="lockoutEnd"/> (and restarts the count). Returns the user as stored afterwards, or null.
    /// </summary>
    Task<UserRecord?> RecordFailedSignInAsync(long userId, int maxFailures, DateTimeOffset lockoutEnd, CancellationToken cancellationToken = default);

    /// <summary>Records a successful sign-in: the failure count and lock-out are cleared, the last login set.</summary>
    Task RecordSignInAsync(long userId, DateTimeOffset when, CancellationToken cancellationToken = default);

    /// <summary>The user's membership of the organization, or null.</summary>
    Task<OrganizationMember?> GetMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default);

    /// <summary>The organization's members, by email.</summary>
    Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(long organizationId, CancellationToken cancellationToken = default);

    /// <summary>The organizations the user is a member of (by organization id).</summary>
    Task<IReadOnlyList<OrganizationMember>> ListMembershipsAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Makes the user a member with <paramref name="role"/>; false when they are one already (nothing changes).</summary>
    Task<bool> AddMemberAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default);

    /// <summary>Changes a member's role; false when the user is not a member.</summary>
    Task<bool> SetRoleAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default);

    /// <summary>Removes a membership; false when there was none.</summary>
    Task<bool> RemoveMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default);

    /// <summary>Creates a personal API token of a user (only the token's hash is stored).</summary>
    Task<ApiTokenRecord> CreateUserTokenAsync(long userId, string name, string tokenHash, string scopes, string lastCharacters, CancellationToken cancellationToken = default);

    /// <summary>A user's personal API tokens, oldest first.</summary>
    Task<IReadOnlyList<ApiTokenRecord>> ListUserTokensAsync(long userId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a personal token of the user; the deleted token, or null when the user has no such token.</summary>
    Task<ApiTokenRecord?> DeleteUserTokenAsync(long userId, long tokenId, CancellationToken cancellationToken = default);

    /// <summary>Every Data Protection key (its XML element as stored), oldest first.</summary>
    Task<IReadOnlyList<string>> ListDataProtectionKeysAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a Data Protection key's XML element.</summary>
    Task AddDataProtectionKeyAsync(string friendlyName, string xml, CancellationToken cancellationToken = default);
}
