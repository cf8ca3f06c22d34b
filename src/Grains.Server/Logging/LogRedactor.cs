using System.Text.RegularExpressions;

namespace Grains.Server.Logging;

/// <summary>
/// Removes credentials and client data from text that is about to be logged: query-string values
/// (a client may put its DSN key, a token or a whole event in a URL: <c>?sentry_key=…</c>,
/// <c>?token=…</c>, <c>?sentry_data=…</c>), credential pairs (<c>sentry_key=…</c>, <c>sentry_secret=…</c>
/// in an <c>X-Sentry-Auth</c> header), authorization schemes (<c>Bearer …</c>), admin tokens
/// (<c>grains_…</c>) and the user part of URLs (a DSN's key).
/// </summary>
public static partial class LogRedactor
{
    /// <summary>What replaces a removed value.</summary>
    public const string Mask = "[redacted]";

    // Query parameters whose values are kept: paging and protocol versions, never credentials or data.
    private static readonly HashSet<string> HarmlessParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "sentry_version", "limit", "cursor", "per_page", "statsPeriod", "groupStatsPeriod", "sort", "full",
    };

    /// <summary>The text with every credential and query value replaced by <see cref="Mask"/>; the same instance when nothing matched.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!MayNeedRedaction(text))
        {
            return text;
        }

        var redacted = QueryParameter().Replace(text, static m =>
            HarmlessParameters.Contains(m.Groups["name"].Value) ? m.Value : $"{m.Groups["lead"].Value}{m.Groups["name"].Value}={Mask}");
        redacted = CredentialPair().Replace(redacted, static m => $"{m.Groups["name"].Value}{m.Groups["sep"].Value}{Mask}");
        redacted = AuthorizationScheme().Replace(redacted, static m => $"{m.Groups["scheme"].Value} {Mask}");
        redacted = AdminToken().Replace(redacted, "grains_" + Mask);
        redacted = UrlUserInfo().Replace(redacted, "://" + Mask + "@");
        return string.Equals(redacted, text, StringComparison.Ordinal) ? text : redacted;
    }

    /// <summary>A logged value: strings (and anything whose text is logged) redacted, numbers and the like as they are.</summary>
    public static object? RedactValue(object? value) => value switch
    {
        null => null,
        string text => Redact(text),
        bool or byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal
            or DateTime or DateTimeOffset or TimeSpan or Guid or Enum => value,
        Uri uri => Redact(uri.ToString()),
        _ => Redact(value.ToString() ?? ""),
    };

    // A cheap test before the expressions: every pattern needs one of these characters or words.
    private static bool MayNeedRedaction(string text) =>
        text.Contains('=') || text.Contains('@') || text.Contains(':')
        || text.Contains("grains_", StringComparison.Ordinal)
        || text.Contains("Bearer", StringComparison.OrdinalIgnoreCase) || text.Contains("Basic", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"(?<lead>[?&])(?<name>[^=&\s#?""'<>]+)=(?<value>[^&\s#""'<>]*)")]
    private static partial Regex QueryParameter();

    [GeneratedRegex(@"(?<name>\b(?:sentry_key|sentry_secret|sentry_data|access_token|api_key|apikey|token|password|secret|dsn))(?<sep>\s*[=:]\s*""?)(?<value>[^\s,&;""'<>]+)", RegexOptions.IgnoreCase)]
    private static partial Regex CredentialPair();

    [GeneratedRegex(@"\b(?<scheme>Bearer|Basic)\s+(?!\[redacted\])(?<value>[A-Za-z0-9._~+/=-]{8,})", RegexOptions.IgnoreCase)]
    private static partial Regex AuthorizationScheme();

    [GeneratedRegex(@"\bgrains_(?!\[redacted\])[0-9A-Za-z]{8,}")]
    private static partial Regex AdminToken();

    [GeneratedRegex(@"://[^/\s@:?#]+(?::[^/\s@?#]*)?@")]
    private static partial Regex UrlUserInfo();
}
