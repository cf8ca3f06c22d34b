namespace Grains.Monitoring.Accounts;

/// <summary>Email addresses as the account stores compare them.</summary>
public static class AccountEmails
{
    /// <summary>The unique key of an email: trimmed and lower-cased (invariant), so <c>Ann@Example.com</c> and <c>ann@example.com</c> are one user.</summary>
    public static string Key(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }
}
