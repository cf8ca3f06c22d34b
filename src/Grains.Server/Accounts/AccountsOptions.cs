namespace Grains.Server.Accounts;

/// <summary>Dashboard accounts: the seeded owner, lock-out and session checks (configuration section <see cref="Section"/>).</summary>
public sealed class AccountsOptions
{
    /// <summary>The configuration section: <c>Grains:Accounts</c>.</summary>
    public const string Section = "Grains:Accounts";

    /// <summary>The email of the owner the first start creates. Default <c>owner@localhost</c>.</summary>
    public string OwnerEmail { get; set; } = "owner@localhost";

    /// <summary>Failed sign-ins in a row that lock a user out. Default 5 (1–100).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a lock-out lasts. Default 5 minutes (1 second – 1 day).</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a session's security stamp is compared with the user's (a password change or removal
    /// ends other sessions within this time). Default 30 seconds (0 – 1 hour; 0 checks every request).
    /// </summary>
    public TimeSpan SessionValidationInterval { get; set; } = TimeSpan.FromSeconds(30);
}
