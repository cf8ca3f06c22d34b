using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Grains.Server.Ingest.Protection;

/// <summary>
/// The per-client-address guard, first in the pipeline (before the ingest edge authenticates anything):
/// over its rate an address gets Relay's 429 — <c>Retry-After</c> in whole seconds and the JSON
/// <c>detail</c> — with no <c>X-Sentry-Rate-Limits</c> (no category or scope is limited, the client is),
/// so SDKs back off from everything for <c>Retry-After</c>, as they do on a bare 429. Health probes pass.
/// </summary>
public sealed partial class ClientGuardMiddleware(RequestDelegate next, ClientRateLimiter limiter, ClientAddressResolver clients, IOptions<ClientGuardOptions> options, ILogger<ClientGuardMiddleware> logger)
{
    /// <summary>The name of the guard's Meter.</summary>
    public const string InstrumentationName = "Grains.ClientGuard";

    /// <summary>Relay's body for a 429.</summary>
    public const string Detail = "Sentry dropped data due to a quota or internal rate limit being reached. This will not affect your application. See https://docs.sentry.io/product/accounts/quotas/ for more information.";

    private static readonly byte[] Body = System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["detail"] = Detail }));
    private static readonly Meter Meter = new(InstrumentationName);
    private static readonly Counter<long> Rejected = Meter.CreateCounter<long>("grains.ingest.guard.rejected", "{request}", "Requests refused by the per-client-address guard.");

    private readonly bool _enabled = options.Value.Enabled;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!_enabled || http.Request.Path.StartsWithSegments("/health") || http.Request.Path.StartsWithSegments("/alive"))
        {
            await next(http);
            return;
        }

        var client = clients.Resolve(http);
        if (limiter.TryTake(client, out var retryAfter))
        {
            await next(http);
            return;
        }

        Rejected.Add(1);
        LogRejected(logger, client?.ToString() ?? "unknown");
        var seconds = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        http.Response.ContentType = "application/json";
        http.Response.ContentLength = Body.Length;
        await http.Response.Body.WriteAsync(Body, http.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Client {ClientAddress} over the per-address rate: 429")]
    private static partial void LogRejected(ILogger logger, string clientAddress);
}
