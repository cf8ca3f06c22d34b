namespace Grains.Ingestion.Auth;

/// <summary>Validated credentials of an ingest request.</summary>
/// <param name="PublicKey">The DSN public key: 32 lowercase hex characters, flags (<c>.no-cache</c>) removed.</param>
/// <param name="SecretKey">The deprecated DSN secret, when the client sent one. Never required.</param>
/// <param name="Version">Protocol version (<c>sentry_version</c>), at most <see cref="SentryAuthParser.ProtocolVersion"/>.</param>
/// <param name="Client">SDK identification such as <c>sentry.javascript.node/11.12.0</c>, from
/// <c>sentry_client</c> or else the <c>User-Agent</c>.</param>
/// <param name="Source">Where the credentials were found.</param>
public sealed record SentryAuth(string PublicKey, string? SecretKey, int Version, string? Client, SentryAuthSource Source)
{
    /// <summary>The SDK name part of <see cref="Client"/> (before the first <c>/</c>).</summary>
    public string? ClientName => Client is null ? null : Client.Split('/', 2)[0];

    /// <summary>The SDK version part of <see cref="Client"/> (after the first <c>/</c>), if any.</summary>
    public string? ClientVersion => Client is not null && Client.IndexOf('/') is var i and >= 0 ? Client[(i + 1)..] : null;
}
