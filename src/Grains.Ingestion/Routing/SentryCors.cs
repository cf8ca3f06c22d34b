namespace Grains.Ingestion.Routing;

/// <summary>
/// The CORS policy Relay applies to every ingest route (reference §1.6, relay <c>middlewares/cors.rs</c>,
/// a tower-http <c>CorsLayer</c> with <c>allow_origin(Any)</c>).
/// Browser SDKs send simple requests, so <see cref="AllowOrigin"/> and <see cref="ExposeHeaders"/>
/// on the actual response matter most: without the expose list the browser SDK cannot read rate
/// limits. A preflight (sent when an application adds transport headers) is answered as tower-http
/// answers it: every <c>OPTIONS</c>, with or without <c>Origin</c>, gets <c>*</c>, the allowed methods
/// and headers and the max age, but not the expose list, which only applies to actual responses.
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

    /// <summary>
    /// <c>Vary</c>: tower-http's default, on preflights and responses alike, so a cache keeps answers
    /// to different origins and preflight requests apart.
    /// </summary>
    public const string Vary = "origin, access-control-request-method, access-control-request-headers";

    /// <summary><c>Cross-Origin-Resource-Policy</c>, which Relay sets on every response.</summary>
    public const string CrossOriginResourcePolicy = "cross-origin";

    /// <summary>Headers for every ingest response, including errors.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; } =
    [
        new("Access-Control-Allow-Origin", AllowOrigin),
        new("Vary", Vary),
        new("Access-Control-Expose-Headers", ExposeHeaders),
        new("Cross-Origin-Resource-Policy", CrossOriginResourcePolicy),
    ];

    /// <summary>
    /// Every header of the answer to an <c>OPTIONS</c> preflight (used instead of
    /// <see cref="ResponseHeaders"/>, not in addition): without <c>Access-Control-Allow-Origin</c>
    /// the browser rejects the preflight and never sends the event.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> PreflightHeaders { get; } =
    [
        new("Access-Control-Allow-Origin", AllowOrigin),
        new("Vary", Vary),
        new("Access-Control-Allow-Methods", AllowMethods),
        new("Access-Control-Allow-Headers", AllowHeaders),
        new("Access-Control-Max-Age", MaxAge),
        new("Cross-Origin-Resource-Policy", CrossOriginResourcePolicy),
    ];
}
