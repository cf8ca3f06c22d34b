using Grains.Monitoring.Accounts;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// <see cref="IAccountStore"/> (users, memberships, personal tokens, the Data Protection key ring) over a
/// backend's <see cref="StoreCommands"/>, with the statements of <see cref="AccountSql"/>.
/// </summary>
public abstract class RelationalAccountStore : IAccountStore
{
    private readonly StoreCommands _commands;
    private readonly TimeProvider _time;

    protected RelationalAccountStore(StoreCommands commands, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken = default) =>
        await _commands.ScalarAsync(AccountSql.AnyUser(), cancellationToken).ConfigureAwait(false) is not null;

    /// <inheritdoc />
    public Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        return _commands.QueryOneAsync(AccountSql.UserByEmail(email), static r => AccountSql.ReadUser(r), cancellationToken);
    }

    /// <inheritdoc />
    public Task<UserRecord?> GetUserAsync(long userId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(AccountSql.UserById(userId), static r => AccountSql.ReadUser(r), cancellationToken);

    /// <inheritdoc />
    public async Task<UserRecord> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var joined = StoreTime.Truncate(_time.GetUtcNow());
        return await _commands.WriteScalarAsync("accounts.user.create", AccountSql.InsertUser(user, joined), cancellationToken).ConfigureAwait(false) is long id
            ? new UserRecord(id, user.Email.Trim(), user.DisplayName, user.PasswordHash, 0, null, user.SecurityStamp, joined, null)
            : throw new DuplicateEmailException(user.Email);
    }

    /// <inheritdoc />
    public async Task<bool> SetPasswordAsync(long userId, string passwordHash, string securityStamp, CancellationToken cancellationToken = default) =>
        await _commands.ExecuteAsync("accounts.user.password", AccountSql.SetPassword(userId, passwordHash, securityStamp), cancellationToken).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public Task<UserRecord?> RecordFailedSignInAsync(long userId, int maxFailures, DateTimeOffset lockoutEnd, CancellationToken cancellationToken = default) =>
        _commands.WriteOneAsync("accounts.user.failed", AccountSql.FailedSignIn(userId, maxFailures, lockoutEnd), static r => AccountSql.ReadUser(r), cancellationToken);

    /// <inheritdoc />
    public Task RecordSignInAsync(long userId, DateTimeOffset when, CancellationToken cancellationToken = default) =>
        _commands.ExecuteAsync("accounts.user.signed_in", AccountSql.SignedIn(userId, when), cancellationToken);

    /// <inheritdoc />
    public Task<OrganizationMember?> GetMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default) =>
        _commands.QueryOneAsync(AccountSql.Member(organizationId, userId), AccountSql.ReadMember, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(long organizationId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(AccountSql.Members(organizationId), AccountSql.ReadMember, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrganizationMember>> ListMembershipsAsync(long userId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(AccountSql.Memberships(userId), AccountSql.ReadMember, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<bool> AddMemberAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        var statement = AccountSql.AddMember(organizationId, userId, role, StoreTime.Truncate(_time.GetUtcNow()));
        return await _commands.ExecuteAsync("accounts.member.add", statement, cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> SetRoleAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return await _commands.ExecuteAsync("accounts.member.role", AccountSql.SetRole(organizationId, userId, role), cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default) =>
        await _commands.ExecuteAsync("accounts.member.remove", AccountSql.RemoveMember(organizationId, userId), cancellationToken).ConfigureAwait(false) > 0;

    /// <inheritdoc />
    public async Task<ApiTokenRecord> CreateUserTokenAsync(long userId, string name, string tokenHash, string scopes, string lastCharacters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await _commands.WriteScalarAsync("accounts.token.create", AccountSql.InsertUserToken(userId, name, tokenHash, scopes, lastCharacters, created), cancellationToken)
            .ConfigureAwait(false);
        return new ApiTokenRecord((long)id!, name, tokenHash, created, userId, scopes, lastCharacters);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiTokenRecord>> ListUserTokensAsync(long userId, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(AccountSql.UserTokens(userId), StoreRows.Token, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<ApiTokenRecord?> DeleteUserTokenAsync(long userId, long tokenId, CancellationToken cancellationToken = default) =>
        _commands.WriteOneAsync("accounts.token.delete", AccountSql.DeleteUserToken(userId, tokenId), StoreRows.Token, cancellationToken);

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListDataProtectionKeysAsync(CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(AccountSql.DataProtectionKeyList(), static r => r.GetString(0), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task AddDataProtectionKeyAsync(string friendlyName, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(friendlyName);
        ArgumentNullException.ThrowIfNull(xml);
        return _commands.ExecuteAsync("accounts.dataprotection.add", AccountSql.AddDataProtectionKey(friendlyName, xml, _time.GetUtcNow()), cancellationToken);
    }
}
