namespace Grains.Server.Accounts;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInStatus
{
    /// <summary>The email and password match and the user is not locked out.</summary>
    Succeeded,

    /// <summary>No such user, or a wrong password (the two are not told apart).</summary>
    Failed,

    /// <summary>Too many failures in a row: refused until the lock-out ends, whatever the password.</summary>
    LockedOut,
}
