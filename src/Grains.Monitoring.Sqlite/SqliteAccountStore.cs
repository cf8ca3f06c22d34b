using System.Data.Common;
using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Monitoring.Storage.Relational;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;

namespace Grains.Monitoring.Sqlite;

/// <summary><see cref="IAccountStore"/> in the shared <see cref="SqliteDatabase"/> (monitoring schema versions 10 and 11).</summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private readonly SqliteDatabase _database;
    private readonly TimeProvider _time;

    /// <summary>Creates the store over <paramref name="database"/> (not owned), creating or migrating the monitoring tables.</summary>
    public SqliteAccountStore(SqliteDatabase database, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = time ?? TimeProvider.System;
        database.Migrate(MonitoringSchema.Component, MonitoringSchema.Migrations);
    }

    /// <inheritdoc />
    public Task<bool> AnyUserAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(Query(AccountSql.AnyUser(), static _ => true, cancellationToken).Count > 0);

    /// <inheritdoc />
    public Task<UserRecord?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        return Task.FromResult(Query(AccountSql.UserByEmail(email), static r => AccountSql.ReadUser(r), cancellationToken).FirstOrDefault());
    }

    /// <inheritdoc />
    public Task<UserRecord?> GetUserAsync(long userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Query(AccountSql.UserById(userId), static r => AccountSql.ReadUser(r), cancellationToken).FirstOrDefault());

    /// <inheritdoc />
    public async Task<UserRecord> CreateUserAsync(NewUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var joined = StoreTime.Truncate(_time.GetUtcNow());
        var id = await _database.WriteAsync("accounts.user.create", AccountSql.InsertUser(user, joined), static (connection, statement) =>
            connection.Command(statement).ExecuteScalar() as long?, cancellationToken).ConfigureAwait(false);
        return id is { } value
            ? new UserRecord(value, user.Email.Trim(), user.DisplayName, user.PasswordHash, 0, null, user.SecurityStamp, joined, null)
            : throw new DuplicateEmailException(user.Email);
    }

    /// <inheritdoc />
    public Task<bool> SetPasswordAsync(long userId, string passwordHash, string securityStamp, CancellationToken cancellationToken = default) =>
        Execute("accounts.user.password", AccountSql.SetPassword(userId, passwordHash, securityStamp), cancellationToken);

    /// <inheritdoc />
    public Task<UserRecord?> RecordFailedSignInAsync(long userId, int maxFailures, DateTimeOffset lockoutEnd, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("accounts.user.failed", AccountSql.FailedSignIn(userId, maxFailures, lockoutEnd), static (connection, statement) =>
        {
            using var command = connection.Command(statement);
            using var reader = command.ExecuteReader();
            return reader.Read() ? AccountSql.ReadUser(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task RecordSignInAsync(long userId, DateTimeOffset when, CancellationToken cancellationToken = default) =>
        Execute("accounts.user.signed_in", AccountSql.SignedIn(userId, when), cancellationToken);

    /// <inheritdoc />
    public Task<OrganizationMember?> GetMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Query(AccountSql.Member(organizationId, userId), AccountSql.ReadMember, cancellationToken).FirstOrDefault());

    /// <inheritdoc />
    public Task<IReadOnlyList<OrganizationMember>> ListMembersAsync(long organizationId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrganizationMember>>(Query(AccountSql.Members(organizationId), AccountSql.ReadMember, cancellationToken));

    /// <inheritdoc />
    public Task<IReadOnlyList<OrganizationMember>> ListMembershipsAsync(long userId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OrganizationMember>>(Query(AccountSql.Memberships(userId), AccountSql.ReadMember, cancellationToken));

    /// <inheritdoc />
    public Task<bool> AddMemberAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return Execute("accounts.member.add", AccountSql.AddMember(organizationId, userId, role, StoreTime.Truncate(_time.GetUtcNow())), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> SetRoleAsync(long organizationId, long userId, string role, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        return Execute("accounts.member.role", AccountSql.SetRole(organizationId, userId, role), cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> RemoveMemberAsync(long organizationId, long userId, CancellationToken cancellationToken = default) =>
        Execute("accounts.member.remove", AccountSql.RemoveMember(organizationId, userId), cancellationToken);

    /// <inheritdoc />
    public async Task<ApiTokenRecord> CreateUserTokenAsync(long userId, string name, string tokenHash, string scopes, string lastCharacters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(tokenHash);
        var created = StoreTime.Truncate(_time.GetUtcNow());
        var id = await _database.WriteAsync("accounts.token.create", AccountSql.InsertUserToken(userId, name, tokenHash, scopes, lastCharacters, created), static (connection, statement) =>
        {
            using var command = connection.Command(statement);
            return (long)command.ExecuteScalar()!;
        }, cancellationToken).ConfigureAwait(false);
        return new ApiTokenRecord(id, name, tokenHash, created, userId, scopes, lastCharacters);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ApiTokenRecord>> ListUserTokensAsync(long userId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiTokenRecord>>(Query(AccountSql.UserTokens(userId), StoreRows.Token, cancellationToken));

    /// <inheritdoc />
    public Task<ApiTokenRecord?> DeleteUserTokenAsync(long userId, long tokenId, CancellationToken cancellationToken = default) =>
        _database.WriteAsync("accounts.token.delete", AccountSql.DeleteUserToken(userId, tokenId), static (connection, statement) =>
        {
            using var command = connection.Command(statement);
            using var reader = command.ExecuteReader();
            return reader.Read() ? StoreRows.Token(reader) : null;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListDataProtectionKeysAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<string>>(Query(AccountSql.DataProtectionKeyList(), static r => r.GetString(0), cancellationToken));

    /// <inheritdoc />
    public Task AddDataProtectionKeyAsync(string friendlyName, string xml, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(friendlyName);
        ArgumentNullException.ThrowIfNull(xml);
        return Execute("accounts.dataprotection.add", AccountSql.AddDataProtectionKey(friendlyName, xml, _time.GetUtcNow()), cancellationToken);
    }

    private Task<bool> Execute(string kind, SqlStatement statement, CancellationToken cancellationToken) =>
        _database.WriteAsync(kind, statement, static (connection, s) =>
        {
            using var command = connection.Command(s);
            return command.ExecuteNonQuery() > 0;
        }, cancellationToken);

    private List<T> Query<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _database.Read((statement, map), static (connection, s) =>
        {
            using var command = connection.Command(s.statement);
            using var reader = command.ExecuteReader();
            var rows = new List<T>();
            while (reader.Read())
            {
                rows.Add(s.map(reader));
            }

            return rows;
        });
    }
}
