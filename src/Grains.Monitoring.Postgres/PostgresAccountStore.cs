using System.Data.Common;
using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Postgres;

namespace Grains.Monitoring.Postgres;

/// <summary><see cref="IAccountStore"/> in a shared <see cref="PostgresDatabase"/>, with the statements of the SQLite store.</summary>
public sealed class PostgresAccountStore : IAccountStore
{
    private readonly PostgresDatabase _database;
    private readonly PostgresSchemaGate _schema;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over <paramref name="database"/> (not owned); the tables are migrated before its first operation.</summary>
    public PostgresAccountStore(PostgresDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _schema = PostgresSchemaGate.For(database);
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<bool> AnyUserAsync(CancellationToken cancellationToken = default) =>
        (await QueryAsync(AccountSql.AnyUser(), static _ => true, cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <inheritdoc />
    public async Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        return (await QueryAsync(AccountSql.UserByEmail(email), static r => AccountSql.ReadUser(r), cancellationToken).ConfigureAwait(false)).FirstOrDefault();
    }

    /// <inheritdoc />
    public async Task<UserRecord?> GetUserAsync(long userId, CancellationToken cancellationToken = default) =>
        (await QueryAsync(AccountSql.UserById(userId), static r => AccountSql.ReadUser(r), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public async Task<UserRecord> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var joined = StoreTime.Truncate(_time.GetUtcNow());
        var ids = await QueryAsync(AccountSql.InsertUser(user, joined), static r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return ids.Count > 0
            ? new UserRecord(ids[0], user.Email.Trim(), user.DisplayName, user.PasswordHash, 0, null, user.SecurityStamp, joined, null)
            : throw new DuplicateEmailException(user.Email);
    }

    /// <inheritdoc />
    public Task<bool> SetPasswordAsync(long userId, string passwordHash, string securityStamp, CancellationToken cancellationToken = default) =>
        ExecuteAsync(AccountSql.SetPassword(userId, passwordHash, securityStamp), cancellationToken);

    /// <inheritdoc />
    public async Task<UserRecord?> RecordFailedSignInAsync(long userId, int maxFailures, DateTimeOffset lockoutEnd, CancellationToken cancellationToken = default) =>
        (await QueryAsync(AccountSql.FailedSignIn(userId, maxFailures, lockoutEnd), static r => AccountSql.ReadUser(r), cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public Task RecordSignInAsync(long userId, DateTimeOffset when, CancellationToken cancellationToken = default) =>
        ExecuteAsync(AccountSql.SignedIn(userId, when), cancellationToken);

    /// <inheritdoc />
    public async Task<OrganizationMember?> GetMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default) =>
        (await QueryAsync(AccountSql.Member(organizationId, userId), AccountSql.ReadMember, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(long organizationId, CancellationToken cancellationToken = default) =>
        await QueryAsync(AccountSql.Members(organizationId), AccountSql.ReadMember, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<IReadOnlyList<OrganizationMember>> ListMembershipsAsync(long userId, CancellationToken cancellationToken = default) =>
        await QueryAsync(AccountSql.Memberships(userId), AccountSql.ReadMember, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task<bool> AddMemberAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return ExecuteAsync(AccountSql.AddMember(organizationId, userId, role, StoreTime.Truncate(_time.GetUtcNow())), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetRoleAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return ExecuteAsync(AccountSql.SetRole(organizationId, userId, role), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default) =>
        ExecuteAsync(AccountSql.RemoveMember(organizationId, userId), cancellationToken);

    /// <inheritdoc />
    public async Task<ApiTokenRecord> CreateUserTokenAsync(long userId, string name, string tokenHash, string scopes, string lastCharacters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var ids = await QueryAsync(AccountSql.InsertUserToken(userId, name, tokenHash, scopes, lastCharacters, created), static r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        return new ApiTokenRecord(ids[0], name, tokenHash, created, userId, scopes, lastCharacters);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ApiTokenRecord>> ListUserTokensAsync(long userId, CancellationToken cancellationToken = default) =>
        await QueryAsync(AccountSql.UserTokens(userId), StoreRows.Token, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task<ApiTokenRecord?> DeleteUserTokenAsync(long userId, long tokenId, CancellationToken cancellationToken = default) =>
        (await QueryAsync(AccountSql.DeleteUserToken(userId, tokenId), StoreRows.Token, cancellationToken).ConfigureAwait(false)).FirstOrDefault();

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> ListDataProtectionKeysAsync(CancellationToken cancellationToken = default) =>
        await QueryAsync(AccountSql.DataProtectionKeyList(), static r => r.GetString(0), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public Task AddDataProtectionKeyAsync(string friendlyName, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(friendlyName);
        ArgumentNullException.ThrowIfNull(xml);
        return ExecuteAsync(AccountSql.AddDataProtectionKey(friendlyName, xml, _time.GetUtcNow()), cancellationToken);
    }

    private async Task<bool> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(statement);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    private async Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await _schema.MonitoringAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.Command(statement);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(map(reader));
        }

        return rows;
    }
}
