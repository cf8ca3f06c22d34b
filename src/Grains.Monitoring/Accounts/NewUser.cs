namespace Grains.Monitoring.Accounts;

/// <summary>What creating a user takes.</summary>
/// <param name="Email">The email as entered (unique ignoring case).</param>
/// <param name="DisplayName">The name shown.</param>
/// <param name="PasswordHash">ASP.NET Core Identity's hash of the initial password.</param>
/// <param name="SecurityStamp">A fresh random stamp.</param>
public sealed record NewUser(string Email, string DisplayName, string PasswordHash, string SecurityStamp);
