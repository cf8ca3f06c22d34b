namespace Grains.Ingestion.Routing;

/// <summary>
/// The CORS policy Relay applies to every ingest route (reference §1.6, relay <c>middlewares/cors.rs</c>).
/// Browser SDKs send simple requests, so <see cref="AllowOrigin"/> and <see cref="ExposeHeaders"/>
/// on the actual response matter more than the preflight answer: without the expose list the
/// browser SDK cannot read rate limits.
/// </summary>
public static class SentryCors
{
    /// <summary><c>Access-Control-Allow-Origin</c>: any origin.</summary>
    public const string AllowOrigin = "*";

    /// <summary><c>Access-Control-Allow-Methods</c>.</summary>
    public const string AllowMethods = "POST";

    /// <summary><c>Access-Control-Allow-Headers</c>, in Relay's order.</summary>
    public const string AllowHeaders =
        "x-sentry-auth, x-requested-with, x-forwarded-for, origin, referer, accept, content-type, authentication, authorization, content-encoding, transfer-encoding";

    /// <summary><c>Access-Control-Expose-Headers</c>.</summary>
    public const string ExposeHeaders = "x-sentry-error, x-sentry-rate-limits, retry-after";

    /// <summary><c>Access-Control-Max-Age</c> in seconds.</summary>
    public const string MaxAge = "3600";

    /// <summary><c>Cross-Origin-Resource-Policy</c>, which Relay sets on every response.</summary>
    public const string CrossOriginResourcePolicy = "cross-origin";

    /// <summary>Headers for every ingest response, including errors.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; } =
    [
        new("Access-Control-Allow-Origin", AllowOrigin),
        new("Access-Control-Expose-Headers", ExposeHeaders),
        new("Cross-Origin-Resource-Policy", CrossOriginResourcePolicy),
    ];

    /// <summary>Additional headers for the answer to an <c>OPTIONS</c> preflight.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> PreflightHeaders { get; } =
    [
        new("Access-Control-Allow-Methods", AllowMethods),
        new("Access-Control-Allow-Headers", AllowHeaders),
        new("Access-Control-Max-Age", MaxAge),
    ];
}
