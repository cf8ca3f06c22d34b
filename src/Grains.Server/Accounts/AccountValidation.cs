namespace Grains.Server.Accounts;

/// <summary>Input rules for accounts, shared by the options, the pages and the API.</summary>
public static class AccountValidation
{
    /// <summary>The shortest password accepted when one is set (Sentry's default minimum).</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest password accepted (hashing cost is bounded).</summary>
    public const int MaxPasswordLength = 256;

    /// <summary>The longest email accepted.</summary>
    public const int MaxEmailLength = 254;

    /// <summary>
    /// Whether <paramref name="email"/> looks like an address: one <c>@</c> with text on both sides, no
    /// whitespace or control characters, at most <see cref="MaxEmailLength"/> characters. Deliberately
    /// loose (<c>owner@localhost</c> is valid): the address is a sign-in name, never mailed to by this check.
    /// </summary>
    public static bool IsEmail(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return false;
        }

        var trimmed = email.Trim();
        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return trimmed.Length <= MaxEmailLength
            && at > 0
            && at < trimmed.Length - 1
            && trimmed.IndexOf('@', at + 1) < 0
            && !trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));
    }

    /// <summary>Why <paramref name="password"/> cannot be set, or null when it can.</summary>
    public static string? PasswordProblem(string? password) => password switch
    {
        null or "" => "A password is required.",
        { Length: < MinPasswordLength } => $"The password must be at least {MinPasswordLength} characters long.",
        { Length: > MaxPasswordLength } => $"The password must be at most {MaxPasswordLength} characters long.",
        _ => null,
    };
}
