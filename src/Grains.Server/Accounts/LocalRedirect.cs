namespace Grains.Server.Accounts;

/// <summary>Where sign-in may send the browser afterwards (<c>?next=</c>): only a path on this site.</summary>
public static class LocalRedirect
{
    /// <summary>The default destination.</summary>
    public const string Home = "/";

    /// <summary>
    /// <paramref name="next"/> when it is a local path (starts with one <c>/</c>, not <c>//</c> or <c>/\</c>,
    /// which browsers read as another host; no control characters, no scheme), else <see cref="Home"/>:
    /// an open redirect would let a link to the sign-in page send a user anywhere.
    /// </summary>
    public static string Sanitize(string? next)
    {
        if (string.IsNullOrEmpty(next) || next.Length > 2048 || next[0] != '/')
        {
            return Home;
        }

        if (next.Length > 1 && (next[1] == '/' || next[1] == '\\'))
        {
            return Home;
        }

        return next.Any(char.IsControl) || next.Contains('\\', StringComparison.Ordinal) ? Home : next;
    }
}
