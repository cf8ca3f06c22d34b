using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Sqlite;
using Grains.Monitoring.Storage.Relational;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests.Accounts;

public abstract class AccountStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123).AddTicks(4567);

    private IAccountStore _store = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = Create();
    }

    private IAccountStore Create() => Db switch
    {
        SqliteBackend sqlite => new SqliteAccountStore(sqlite.Database, new FixedTime(Now)),
        PostgresBackend postgres => new PostgresAccountStore(postgres.Database, new FixedTime(Now)),
        _ => throw new NotSupportedException(Db.Name),
    };

    private static NewUser User(string email) => new(email, "Ann", "hash-of-" + email, "stamp-1");

    [Fact]
    public async Task A_created_user_reads_back_field_for_field_by_id_and_by_email_ignoring_case()
    {
        Assert.False(await _store.AnyUserAsync());
        var created = await _store.CreateUserAsync(User(" Ann@Example.com "));

        Assert.True(await _store.AnyUserAsync());
        Assert.Equal(new UserRecord(created.Id, "Ann@Example.com", "Ann", "hash-of- Ann@Example.com ", 0, null, "stamp-1", StoreTime.Truncate(Now), null), created);
        Assert.Equal(created, await _store.GetUserAsync(created.Id));
        Assert.Equal(created, await _store.FindUserByEmailAsync("ann@example.COM"));
        Assert.Null(await _store.FindUserByEmailAsync("bob@example.com"));
        Assert.Null(await _store.GetUserAsync(created.Id + 1000));
    }

    [Fact]
    public async Task An_email_taken_in_another_case_is_refused()
    {
        await _store.CreateUserAsync(User("ann@example.com"));

        var duplicate = await Assert.ThrowsAsync<DuplicateEmailException>(() => _store.CreateUserAsync(User("ANN@example.com")));
        Assert.Equal("ANN@example.com", duplicate.Email);
    }

    [Fact]
    public async Task The_third_failure_locks_out_and_restarts_the_count_and_a_sign_in_clears_it()
    {
        var user = await _store.CreateUserAsync(User("ann@example.com"));
        var lockout = Now.AddMinutes(5);

        Assert.Equal(1, (await _store.RecordFailedSignInAsync(user.Id, 3, lockout))!.FailedSignIns);
        var second = await _store.RecordFailedSignInAsync(user.Id, 3, lockout);
        Assert.Equal(2, second!.FailedSignIns);
        Assert.Null(second.LockoutEnd);
        var third = await _store.RecordFailedSignInAsync(user.Id, 3, lockout);
        Assert.Equal(0, third!.FailedSignIns);
        Assert.Equal(StoreTime.Truncate(lockout), third.LockoutEnd);

        await _store.RecordFailedSignInAsync(user.Id, 3, lockout);
        await _store.RecordSignInAsync(user.Id, Now.AddMinutes(6));
        var after = await _store.GetUserAsync(user.Id);
        Assert.Equal(0, after!.FailedSignIns);
        Assert.Null(after.LockoutEnd);
        Assert.Equal(StoreTime.Truncate(Now.AddMinutes(6)), after.LastLogin);
        Assert.Null(await _store.RecordFailedSignInAsync(user.Id + 1000, 3, lockout));
    }

    [Fact]
    public async Task Concurrent_failures_all_count()
    {
        var user = await _store.CreateUserAsync(User("ann@example.com"));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => _store.RecordFailedSignInAsync(user.Id, 100, Now))));

        Assert.Equal(8, (await _store.GetUserAsync(user.Id))!.FailedSignIns);
    }

    [Fact]
    public async Task Setting_a_password_replaces_hash_and_stamp()
    {
        var user = await _store.CreateUserAsync(User("ann@example.com"));

        Assert.True(await _store.SetPasswordAsync(user.Id, "new-hash", "stamp-2"));
        Assert.False(await _store.SetPasswordAsync(user.Id + 1000, "x", "y"));
        var read = await _store.GetUserAsync(user.Id);
        Assert.Equal(("new-hash", "stamp-2"), (read!.PasswordHash, read.SecurityStamp));
    }

    [Fact]
    public async Task Memberships_are_per_organization_with_a_role_listed_by_email()
    {
        var ann = await _store.CreateUserAsync(User("ann@example.com"));
        var bob = await _store.CreateUserAsync(User("Bob@example.com"));

        Assert.True(await _store.AddMemberAsync(1, bob.Id, MemberRoles.Member));
        Assert.True(await _store.AddMemberAsync(1, ann.Id, MemberRoles.Owner));
        Assert.False(await _store.AddMemberAsync(1, ann.Id, MemberRoles.Member));
        Assert.True(await _store.AddMemberAsync(2, ann.Id, MemberRoles.Manager));

        Assert.Equal(
            [("ann@example.com", MemberRoles.Owner), ("Bob@example.com", MemberRoles.Member)],
            (await _store.ListMembersAsync(1)).Select(m => (m.User.Email, m.Role)));
        var member = await _store.GetMemberAsync(2, ann.Id);
        Assert.Equal(new OrganizationMember(2, ann, MemberRoles.Manager, StoreTime.Truncate(Now)), member);
        Assert.Null(await _store.GetMemberAsync(2, bob.Id));
        Assert.Equal([1L, 2L], (await _store.ListMembershipsAsync(ann.Id)).Select(m => m.OrganizationId));

        Assert.True(await _store.SetRoleAsync(1, bob.Id, MemberRoles.Manager));
        Assert.False(await _store.SetRoleAsync(2, bob.Id, MemberRoles.Manager));
        Assert.Equal(MemberRoles.Manager, (await _store.GetMemberAsync(1, bob.Id))!.Role);

        Assert.True(await _store.RemoveMemberAsync(1, bob.Id));
        Assert.False(await _store.RemoveMemberAsync(1, bob.Id));
        Assert.Null(await _store.GetMemberAsync(1, bob.Id));
        Assert.Single(await _store.ListMembersAsync(1));
    }

    [Fact]
    public async Task Personal_tokens_belong_to_their_user_and_are_found_by_hash_like_the_admin_token()
    {
        var ann = await _store.CreateUserAsync(User("ann@example.com"));
        var bob = await _store.CreateUserAsync(User("bob@example.com"));
        var admin = await Db.Directory.CreateTokenAsync("admin", "hash-admin");

        var first = await _store.CreateUserTokenAsync(ann.Id, "cli", "hash-1", "org:read project:read", "abcd");
        var second = await _store.CreateUserTokenAsync(ann.Id, "ci", "hash-2", "org:read", "efgh");
        await _store.CreateUserTokenAsync(bob.Id, "bob's", "hash-3", "org:read", "ijkl");

        Assert.Equal(new ApiTokenRecord(first.Id, "cli", "hash-1", StoreTime.Truncate(Now), ann.Id, "org:read project:read", "abcd"), first);
        Assert.Equal([first, second], await _store.ListUserTokensAsync(ann.Id));
        Assert.Equal(first, await Db.Directory.FindTokenAsync("hash-1"));
        var adminRead = await Db.Directory.FindTokenAsync("hash-admin");
        Assert.True(adminRead!.IsAdmin);
        Assert.Equal((admin.Id, (long?)null, (string?)null), (adminRead.Id, adminRead.UserId, adminRead.Scopes));

        Assert.Null(await _store.DeleteUserTokenAsync(bob.Id, first.Id));
        Assert.Equal(first, await _store.DeleteUserTokenAsync(ann.Id, first.Id));
        Assert.Null(await Db.Directory.FindTokenAsync("hash-1"));
        Assert.Equal([second], await _store.ListUserTokensAsync(ann.Id));
    }

    [Fact]
    public async Task Data_protection_keys_list_oldest_first_and_survive_a_reopen()
    {
        await _store.AddDataProtectionKeyAsync("key-a", "<key id=\"a\" />");
        await _store.AddDataProtectionKeyAsync("key-b", "<key id=\"b\" />");
        await Db.ReopenAsync();
        _store = Create();

        Assert.Equal(["<key id=\"a\" />", "<key id=\"b\" />"], await _store.ListDataProtectionKeysAsync());
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class SqliteAccountStoreTests : AccountStoreTests<SqliteBackend>;

public sealed class PostgresAccountStoreTests : AccountStoreTests<PostgresBackend>;
