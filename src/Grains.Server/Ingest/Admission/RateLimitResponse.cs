using System.Globalization;
using Grains.Ingestion.Errors;

namespace Grains.Server.Ingest.Admission;

/// <summary>Writes Relay's 429: <c>Retry-After</c>, <c>X-Sentry-Rate-Limits</c> and <c>{"detail": …}</c>.</summary>
public static class RateLimitResponse
{
    private static readonly byte[] Body = IngestErrorBody.ToUtf8Bytes(new IngestException(StatusCodes.Status429TooManyRequests, RateLimitHeader.Detail));

    /// <summary>Answers <paramref name="http"/> with 429 for <paramref name="limits"/> (nothing when the response has started).</summary>
    public static Task WriteAsync(HttpContext http, IReadOnlyList<ActiveRateLimit> limits)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.ContentType = IngestErrorBody.ContentType;
        http.Response.Headers.RetryAfter = RateLimitHeader.RetryAfter(limits).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[RateLimitHeader.Name] = RateLimitHeader.Format(limits);
        http.Response.ContentLength = Body.Length;
        return http.Response.Body.WriteAsync(Body, http.RequestAborted).AsTask();
    }
}
