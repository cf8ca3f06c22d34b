namespace Grains.Monitoring.Accounts;

/// <summary>A person who signs in to the dashboard (and may own personal API tokens).</summary>
/// <param name="Id">The store's id.</param>
/// <param name="Email">The email as entered; unique ignoring case (see <see cref="AccountEmails.Key"/>).</param>
/// <param name="DisplayName">The name shown in the dashboard.</param>
/// <param name="PasswordHash">ASP.NET Core Identity's password hash (never the password).</param>
/// <param name="FailedSignIns">Failed sign-ins since the last success or lock-out.</param>
/// <param name="LockoutEnd">Until when sign-in is refused, or null.</param>
/// <param name="SecurityStamp">Changes whenever the password changes: sessions issued with another stamp end.</param>
/// <param name="DateJoined">When the user was created.</param>
/// <param name="LastLogin">The last successful sign-in, or null.</param>
public sealed record UserRecord(
    long Id,
    string Email,
    string DisplayName,
    string PasswordHash,
    int FailedSignIns,
    DateTimeOffset? LockoutEnd,
    string SecurityStamp,
    DateTimeOffset DateJoined,
    DateTimeOffset? LastLogin);
