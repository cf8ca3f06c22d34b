using System.Diagnostics.CodeAnalysis;
using Grains.Ingestion.Routing;

namespace Grains.Ingestion.Auth;

/// <summary>
/// A parsed DSN: <c>{scheme}://{publicKey}[:{secret}]@{host}[:{port}]{path}/{projectId}</c>
/// (reference §2.1). Used for the envelope header's <c>dsn</c> in tunnel mode.
/// </summary>
/// <param name="Scheme"><c>http</c> or <c>https</c>.</param>
/// <param name="PublicKey">The public key exactly as written (not validated here).</param>
/// <param name="SecretKey">The optional, deprecated secret.</param>
/// <param name="Host">Host name or address.</param>
/// <param name="Port">Port, or -1 when the scheme's default is used.</param>
/// <param name="Path">Path prefix before the project id, e.g. <c>/sentry</c>; empty when none.</param>
/// <param name="ProjectId">The numeric project id.</param>
public sealed record SentryDsn(string Scheme, string PublicKey, string? SecretKey, string Host, int Port, string Path, ulong ProjectId)
{
    /// <summary>Parses a DSN string; returns <c>false</c> for anything that is not a usable DSN.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SentryDsn? dsn)
    {
        dsn = null;
        if (string.IsNullOrEmpty(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return false;
        }

        if (uri.Scheme is not ("http" or "https") || string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        var userInfo = uri.UserInfo;
        var colon = userInfo.IndexOf(':');
        var publicKey = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[..colon]);
        var secret = colon < 0 || colon == userInfo.Length - 1 ? null : Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        if (publicKey.Length == 0)
        {
            return false;
        }

        var path = uri.AbsolutePath.TrimEnd('/');
        var slash = path.LastIndexOf('/');
        if (!IngestPathParser.TryParseProjectId(path.AsSpan(slash + 1), out var projectId))
        {
            return false;
        }

        dsn = new SentryDsn(uri.Scheme, publicKey, secret, uri.Host, uri.IsDefaultPort ? -1 : uri.Port, path[..Math.Max(slash, 0)], projectId);
        return true;
    }
}
