using Grains.Monitoring.Accounts;
using Grains.Server.Accounts;
using Grains.Server.Tests.Api;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Grains.Server.Tests.Accounts;

/// <summary>Password checks, the lock-out and its end, password changes and session stamps, on a clock the test moves.</summary>
public sealed class AccountServiceTests(ApiServer server) : IClassFixture<ApiServer>
{
    private readonly MovingTime _time = new(DateTimeOffset.Parse("2026-12-04T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private IAccountStore Store => server.Services.GetRequiredService<IAccountStore>();

    private AccountService Service(int maxFailures = 3) => new(Store, Options.Create(new AccountsOptions { MaxFailedSignIns = maxFailures, LockoutDuration = TimeSpan.FromMinutes(5) }), _time, NullLogger<AccountService>.Instance);

    private static string Email() => $"u{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task Passwords_are_stored_hashed_and_verified()
    {
        var service = Service();
        var user = await service.CreateUserAsync(Email(), " Ann ", "secret password");

        Assert.DoesNotContain("secret password", user.PasswordHash, StringComparison.Ordinal);
        Assert.Equal("Ann", user.DisplayName);
        Assert.True(AccountService.VerifyPassword(user, "secret password"));
        Assert.False(AccountService.VerifyPassword(user, "Secret password"));
        Assert.Equal(SignInStatus.Succeeded, (await service.SignInAsync(user.Email.ToUpperInvariant(), "secret password")).Status);
    }

    [Fact]
    public async Task The_lock_out_ends_after_its_duration()
    {
        var service = Service();
        var user = await service.CreateUserAsync(Email(), null, "secret password");

        Assert.Equal(SignInStatus.Failed, (await service.SignInAsync(user.Email, "x")).Status);
        Assert.Equal(SignInStatus.Failed, (await service.SignInAsync(user.Email, "x")).Status);
        var locked = await service.SignInAsync(user.Email, "x");
        Assert.Equal((SignInStatus.LockedOut, _time.GetUtcNow().AddMinutes(5)), (locked.Status, locked.LockoutEnd));
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(SignInStatus.LockedOut, (await service.SignInAsync(user.Email, "secret password")).Status);

        _time.Advance(TimeSpan.FromMinutes(1));
        var signedIn = await service.SignInAsync(user.Email, "secret password");

        Assert.Equal(SignInStatus.Succeeded, signedIn.Status);
        Assert.Equal(0, (await Store.GetUserAsync(user.Id))!.FailedSignIns);
    }

    [Fact]
    public async Task A_success_restarts_the_failure_count()
    {
        var service = Service();
        var user = await service.CreateUserAsync(Email(), null, "secret password");

        await service.SignInAsync(user.Email, "x");
        await service.SignInAsync(user.Email, "x");
        await service.SignInAsync(user.Email, "secret password");
        await service.SignInAsync(user.Email, "x");

        Assert.Equal(SignInStatus.Failed, (await service.SignInAsync(user.Email, "x")).Status);
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one_and_a_valid_new_one_and_changes_the_stamp()
    {
        var service = Service();
        var user = await service.CreateUserAsync(Email(), null, "secret password");

        Assert.Equal("The current password is not correct.", await service.ChangePasswordAsync(user.Id, "wrong", "another password"));
        Assert.Equal("The password must be at least 8 characters long.", await service.ChangePasswordAsync(user.Id, "secret password", "short"));
        Assert.Equal("The user no longer exists.", await service.ChangePasswordAsync(user.Id + 10_000, "secret password", "another password"));
        Assert.Equal(user.SecurityStamp, (await Store.GetUserAsync(user.Id))!.SecurityStamp);

        Assert.Null(await service.ChangePasswordAsync(user.Id, "secret password", "another password"));

        var changed = await Store.GetUserAsync(user.Id);
        Assert.NotEqual(user.SecurityStamp, changed!.SecurityStamp);
        Assert.Equal(SignInStatus.Failed, (await service.SignInAsync(user.Email, "secret password")).Status);
        Assert.Equal(SignInStatus.Succeeded, (await service.SignInAsync(user.Email, "another password")).Status);
    }

    [Fact]
    public async Task A_session_stamp_is_re_read_only_after_the_interval()
    {
        var service = Service();
        var user = await service.CreateUserAsync(Email(), null, "secret password");
        var validator = new SessionValidator(Store, Options.Create(new AccountsOptions { SessionValidationInterval = TimeSpan.FromSeconds(30) }), _time);
        var session = AccountClaims.ForUser(user.Id, user.Email, user.DisplayName, user.SecurityStamp);
        Assert.True(await validator.IsCurrentAsync(session));

        await service.ChangePasswordAsync(user.Id, "secret password", "another password");
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(await validator.IsCurrentAsync(session));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await validator.IsCurrentAsync(session));
        Assert.False(await validator.IsCurrentAsync(new System.Security.Claims.ClaimsPrincipal()));
        Assert.False(await validator.IsCurrentAsync(AccountClaims.ForUser(user.Id + 10_000, "x@y", "x", "stamp")));
    }

    private sealed class MovingTime(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
