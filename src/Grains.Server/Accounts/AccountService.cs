using System.Security.Cryptography;
using Grains.Monitoring.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Grains.Server.Accounts;

/// <summary>
/// Passwords and sign-in: hashing with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>,
/// the lock-out after <see cref="AccountsOptions.MaxFailedSignIns"/> failures, password changes (which
/// give the user a new security stamp, ending their other sessions). Passwords are never logged.
/// </summary>
public sealed partial class AccountService(IAccountStore store, IOptions<AccountsOptions> options, TimeProvider time, ILogger<AccountService> logger)
{
    private const string PasswordAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private static readonly PasswordHasher<UserRecord> Hasher = new();

    // Verified against when the email is unknown, so a sign-in takes as long whether or not the user exists.
    private static readonly Lazy<string> DummyHash = new(() => Hasher.HashPassword(null!, NewPassword()));

    /// <summary>A random password (20 characters, about 116 bits) for a seeded owner.</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString(PasswordAlphabet, 20);

    /// <summary>A new random security stamp.</summary>
    public static string NewSecurityStamp() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The stored hash of <paramref name="password"/>.</summary>
    public static string HashPassword(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        return Hasher.HashPassword(null!, password);
    }

    /// <summary>Whether <paramref name="password"/> matches the user's hash.</summary>
    public static bool VerifyPassword(UserRecord user, string password)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        return Hasher.VerifyHashedPassword(user, user.PasswordHash, password) != PasswordVerificationResult.Failed;
    }

    /// <summary>Checks an email and password, counting failures and locking out after too many.</summary>
    public async Task<SignInResult> SignInAsync(string email, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);
        var settings = options.Value;
        var now = time.GetUtcNow();
        var user = AccountValidation.IsEmail(email) && password.Length <= AccountValidation.MaxPasswordLength
            ? await store.FindUserByEmailAsync(email, cancellationToken).ConfigureAwait(false)
            : null;
        if (user is null)
        {
            Hasher.VerifyHashedPassword(null!, DummyHash.Value, password.Length <= AccountValidation.MaxPasswordLength ? password : "");
            LogUnknownUser(logger);
            return new SignInResult(SignInStatus.Failed);
        }

        if (user.LockoutEnd is { } end && end > now)
        {
            LogLockedOut(logger, user.Id, end);
            return new SignInResult(SignInStatus.LockedOut, LockoutEnd: end);
        }

        if (!VerifyPassword(user, password))
        {
            var after = await store.RecordFailedSignInAsync(user.Id, settings.MaxFailedSignIns, now + settings.LockoutDuration, cancellationToken).ConfigureAwait(false);
            if (after?.LockoutEnd is { } lockout && lockout > now)
            {
                LogLockedOut(logger, user.Id, lockout);
                return new SignInResult(SignInStatus.LockedOut, LockoutEnd: lockout);
            }

            LogWrongPassword(logger, user.Id, after?.FailedSignIns ?? 0);
            return new SignInResult(SignInStatus.Failed);
        }

        await store.RecordSignInAsync(user.Id, now, cancellationToken).ConfigureAwait(false);
        LogSignedIn(logger, user.Id);
        return new SignInResult(SignInStatus.Succeeded, user with { FailedSignIns = 0, LockoutEnd = null, LastLogin = now });
    }

    /// <summary>Creates a user with an initial password.</summary>
    /// <exception cref="DuplicateEmailException">The email is taken.</exception>
    public Task<UserRecord> CreateUserAsync(string email, string? displayName, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(email);
        ArgumentNullException.ThrowIfNull(password);
        var trimmed = email.Trim();
        var name = string.IsNullOrWhiteSpace(displayName) ? trimmed : displayName.Trim();
        return store.CreateUserAsync(new NewUser(trimmed, name, HashPassword(password), NewSecurityStamp()), cancellationToken);
    }

    /// <summary>Sets a new password after checking the current one; null on success, else why not.</summary>
    public async Task<string?> ChangePasswordAsync(long userId, string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(currentPassword);
        ArgumentNullException.ThrowIfNull(newPassword);
        var user = await store.GetUserAsync(userId, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            return "The user no longer exists.";
        }

        if (!VerifyPassword(user, currentPassword))
        {
            return "The current password is not correct.";
        }

        if (AccountValidation.PasswordProblem(newPassword) is { } problem)
        {
            return problem;
        }

        await store.SetPasswordAsync(userId, HashPassword(newPassword), NewSecurityStamp(), cancellationToken).ConfigureAwait(false);
        LogPasswordChanged(logger, userId);
        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in of user {UserId} succeeded")]
    private static partial void LogSignedIn(ILogger logger, long userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in failed: unknown email")]
    private static partial void LogUnknownUser(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sign-in of user {UserId} failed: wrong password ({Failures} in a row)")]
    private static partial void LogWrongPassword(ILogger logger, long userId, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "User {UserId} is locked out until {LockoutEnd}")]
    private static partial void LogLockedOut(ILogger logger, long userId, DateTimeOffset lockoutEnd);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} changed their password (their other sessions end)")]
    private static partial void LogPasswordChanged(ILogger logger, long userId);
}
