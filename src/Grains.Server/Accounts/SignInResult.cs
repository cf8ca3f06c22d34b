using Grains.Monitoring.Accounts;

namespace Grains.Server.Accounts;

/// <summary>The outcome of <see cref="AccountService.SignInAsync"/>.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="User">The user when <see cref="SignInStatus.Succeeded"/>.</param>
/// <param name="LockoutEnd">When a lock-out ends.</param>
public sealed record SignInResult(SignInStatus Status, UserRecord? User = null, DateTimeOffset? LockoutEnd = null)
{
    /// <summary>The message the sign-in page shows for a failure.</summary>
    public string? Message => Status switch
    {
        SignInStatus.Failed => "Please enter a correct email and password.",
        SignInStatus.LockedOut => "Too many failed sign-in attempts. Try again in a few minutes.",
        _ => null,
    };
}
