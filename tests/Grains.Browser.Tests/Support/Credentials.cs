namespace Grains.Browser.Tests.Support;

/// <summary>A user's sign-in.</summary>
internal sealed record Credentials(string Email, string Password)
{
    /// <summary>The owner the first start seeds unless <c>Grains:Accounts:OwnerEmail</c> says otherwise.</summary>
    public const string DefaultOwnerEmail = "owner@localhost";

    /// <summary>
    /// Reads the owner-password file: the password alone (the email is then the default), or lines of
    /// <c>email: …</c> / <c>password: …</c>.
    /// </summary>
    public static Credentials Parse(string text, string defaultEmail)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string? email = null, password = null;
        foreach (var line in lines)
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = colon > 0 ? line[..colon].Trim().ToLowerInvariant() : "";
            if (key == "email")
            {
                email = line[(colon + 1)..].Trim();
            }
            else if (key == "password")
            {
                password = line[(colon + 1)..].Trim();
            }
        }

        if (password is null && lines.Length == 1)
        {
            password = lines[0];
        }

        return new Credentials(email ?? defaultEmail, password ?? throw new FormatException("no password in the owner-password file"));
    }
}
