namespace Grains.Ingestion.Auth;

/// <summary>Where the credentials of a request were found (reference §2.2).</summary>
public enum SentryAuthSource
{
    /// <summary><c>X-Sentry-Auth: Sentry sentry_key=…</c> (.NET, Python).</summary>
    XSentryAuthHeader,

    /// <summary><c>Authorization: Sentry sentry_key=…</c>.</summary>
    AuthorizationHeader,

    /// <summary><c>Authorization: Basic base64(publicKey:…)</c>.</summary>
    BasicAuthorization,

    /// <summary><c>?sentry_key=…&amp;sentry_version=…</c> (JavaScript SDKs).</summary>
    QueryString,

    /// <summary>The <c>dsn</c> field of the envelope header (the SDK's <c>tunnel</c> option).</summary>
    EnvelopeDsn,
}
