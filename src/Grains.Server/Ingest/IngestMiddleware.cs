using System.Net;
using System.Text;
using Grains.Ingestion.Auth;
using Grains.Ingestion.Body;
using Grains.Ingestion.Envelopes;
using Grains.Ingestion.Errors;
using Grains.Ingestion.Limits;
using Grains.Ingestion.Normalization;
using Grains.Ingestion.Routing;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Projects;
using Grains.Server.Ingest.Admission;
using Grains.Server.Outcomes;
using Microsoft.AspNetCore.Http.Features;

namespace Grains.Server.Ingest;

/// <summary>
/// The Sentry ingest edge (<c>/api/{projectId}/envelope/</c> and <c>/api/{projectId}/store/</c>):
/// CORS as Relay, authentication by DSN key before the body is decoded (or after only its first line,
/// when the key is in the envelope header), streamed decompression with limits, envelope parsing,
/// the event pipeline, and a 200 only after the events are durably appended. Runs ahead of routing.
/// </summary>
public sealed class IngestMiddleware(RequestDelegate next, ProjectKeyCache keys, EventPipeline pipeline, ItemRecorder items, IngestOutcomes outcomes, IngestAdmission admission, IngestLimits limits, InflationBudget budget, TimeProvider time, ILogger<IngestMiddleware> logger)
{
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();

    public async Task InvokeAsync(HttpContext http)
    {
        IngestRoute? route;
        try
        {
            route = IngestPathParser.Parse(http.Request.Path.Value ?? "/");
        }
        catch (IngestException error)
        {
            ApplyCors(http.Response, preflight: false);
            await WriteErrorAsync(http, error);
            return;
        }

        if (route is null)
        {
            await next(http);
            return;
        }

        var method = http.Request.Method;
        if (HttpMethods.IsOptions(method))
        {
            ApplyCors(http.Response, preflight: true);
            http.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }

        ApplyCors(http.Response, preflight: false);
        var allowed = HttpMethods.IsPost(method) || (route.Endpoint == IngestEndpoint.Store && HttpMethods.IsGet(method));
        if (!allowed)
        {
            http.Response.Headers.Allow = route.Endpoint == IngestEndpoint.Store ? "GET, POST, OPTIONS" : "POST, OPTIONS";
            await WriteErrorAsync(http, new IngestException(StatusCodes.Status405MethodNotAllowed, "method not allowed", []));
            return;
        }

        // The edge's own limits decide, with Relay's 413: Kestrel's default (30 MB) would cut a valid
        // 200 MiB envelope with a 400.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = null;
        }

        try
        {
            var eventId = route.Endpoint == IngestEndpoint.Store
                ? await HandleStoreAsync(http, route)
                : await HandleEnvelopeAsync(http, route);
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = "application/json";
            var body = eventId is null ? EmptyObject : Encoding.UTF8.GetBytes($"{{\"id\":\"{eventId}\"}}");
            http.Response.ContentLength = body.Length;
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
        catch (IngestException error)
        {
            // Outcomes: what a known project sent that the edge refused as invalid.
            outcomes.Rejected(http, error, time.GetUtcNow());
            await WriteErrorAsync(http, error);
        }
        catch (RateLimitedException limited)
        {
            await RateLimitResponse.WriteAsync(http, limited.Limits);
        }
        catch (Exception exception) when (exception is BadHttpRequestException or IOException && !http.RequestAborted.IsCancellationRequested)
        {
            await WriteErrorAsync(http, IngestException.BadRequest("failed to read request body", exception.Message));
        }
    }

    private async Task<string?> HandleEnvelopeAsync(HttpContext http, IngestRoute route)
    {
        var request = http.Request;
        var auth = SentryAuthParser.FromRequest(name => Header(request, name), request.QueryString.Value);
        ResolvedKey? key = null;
        if (auth is not null)
        {
            // Reject a bad key before reading what may be a 20 MiB body.
            key = await AuthorizeAsync(auth, route, http.RequestAborted);
        }

        await using var body = BodyDecoder.ForEnvelope(request.Body, Header(request, "Content-Encoding"), request.ContentLength, limits, budget);
        if (auth is null)
        {
            // Tunnel mode: only the envelope header (at most MaxEnvelopeHeaderSize bytes) is decoded
            // before the key is checked, so an unauthenticated bomb costs a few kilobytes.
            auth = await body.ReadEnvelopeAuthAsync(limits.MaxEnvelopeHeaderSize, Header(request, "User-Agent"), http.RequestAborted);
            key = await AuthorizeAsync(auth, route, http.RequestAborted);
        }

        using var buffer = await body.ReadToEndAsync(http.RequestAborted);

        IngestOutcomes.Track(http, key!, null, store: false); // Outcomes: an item over its size limit counts.
        var envelope = EnvelopeParser.Parse(buffer.Memory, limits);
        SentryAuthParser.EnsureEnvelopeMatches(auth, route.ProjectId, envelope.Header.Dsn);
        IngestOutcomes.Track(http, key!, envelope, store: false); // Outcomes: a rejection from here on counts its items.

        // Rate limits (Admission/): the limited items are dropped here; the 429 follows once the rest is durable.
        var admitted = await admission.AdmitEnvelopeAsync(key!, envelope, http.RequestAborted);
        envelope = admitted.Envelope;
        IngestOutcomes.Track(http, key!, envelope, store: false); // Outcomes: the dropped items are counted already.

        var contexts = new List<EventContext>();
        foreach (var item in envelope.Items)
        {
            if (item.ItemType == EnvelopeItemType.Event)
            {
                contexts.Add(new EventContext(key!, item.Payload, Normalization(http, envelope.EventId, envelope.Header.SentAt, envelope.Header.SdkName, envelope.Header.SdkVersion)));
            }
        }

        await RunPipelineAsync(contexts, http.RequestAborted);
        outcomes.Accepted(key!, envelope, contexts, time.GetUtcNow()); // Outcomes: events durable; client reports.

        // After the events: an envelope whose event is rejected leaves no items behind.
        await items.RecordAsync(key!, envelope, time.GetUtcNow(), http.RequestAborted);
        admitted.ThrowIfLimited();
        return envelope.EventId;
    }

    private async Task<string?> HandleStoreAsync(HttpContext http, IngestRoute route)
    {
        var request = http.Request;
        var auth = SentryAuthParser.Require(SentryAuthParser.FromRequest(name => Header(request, name), request.QueryString.Value));
        var key = await AuthorizeAsync(auth, route, http.RequestAborted);
        IngestOutcomes.Track(http, key, null, store: true); // Outcomes: a rejection from here on counts the event.

        ReadOnlyMemory<byte> json;
        PooledBuffer? buffer = null;
        try
        {
            if (HttpMethods.IsGet(request.Method))
            {
                var data = request.Query["sentry_data"].ToString();
                if (string.IsNullOrEmpty(data))
                {
                    throw IngestException.BadRequest("empty request body");
                }

                json = StoreBodyDecoder.DecodeQueryValue(data, limits);
            }
            else
            {
                await using var body = BodyDecoder.ForStore(request.Body, Header(request, "Content-Encoding"), request.ContentLength, limits, budget);
                buffer = await body.ReadToEndAsync(http.RequestAborted);
                json = StoreBodyDecoder.Decode(buffer.Memory, limits);
            }

            // Rate limits (Admission/): a store request is one error event.
            await admission.AdmitStoreEventAsync(key, http.RequestAborted);

            var context = new EventContext(key, json, Normalization(http, null, null, null, null));
            await RunPipelineAsync([context], http.RequestAborted);
            outcomes.Accepted(key, null, [context], time.GetUtcNow()); // Outcomes: the event is durable.
            return context.Facts!.EventId;
        }
        finally
        {
            buffer?.Dispose();
        }
    }

    private async Task RunPipelineAsync(List<EventContext> contexts, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.ProcessAsync(contexts, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            throw IngestException.BadRequest("invalid event", exception.Message);
        }
    }

    private async Task<ResolvedKey> AuthorizeAsync(SentryAuth auth, IngestRoute route, CancellationToken cancellationToken)
    {
        var key = await keys.ResolveAsync(auth.PublicKey, cancellationToken);
        if (key is null)
        {
            throw Rejected("ProjectKey");
        }

        if (!key.Key.IsActive)
        {
            throw Rejected("ProjectKey");
        }

        if (route.ProjectId is { } projectId && (long)projectId != key.Project.Id)
        {
            throw Rejected("ProjectId");
        }

        // Rate limits (Admission/): a scope known to be limited for everything this request can hold is
        // answered 429 from memory, before the body is read.
        await admission.CheckBeforeBodyAsync(key, route.Endpoint, cancellationToken);
        return key;
    }

    private static IngestException Rejected(string reason) =>
        new(StatusCodes.Status403Forbidden, $"event submission rejected with_reason: {reason}", []);

    private NormalizationContext Normalization(HttpContext http, string? eventId, DateTimeOffset? sentAt, string? sdkName, string? sdkVersion) =>
        new(time.GetUtcNow(), http.Connection.RemoteIpAddress is { } ip && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : http.Connection.RemoteIpAddress, eventId, sentAt, sdkName, sdkVersion);

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    private static void ApplyCors(HttpResponse response, bool preflight)
    {
        foreach (var (name, value) in preflight ? SentryCors.PreflightHeaders : SentryCors.ResponseHeaders)
        {
            response.Headers[name] = value;
        }
    }

    private async Task WriteErrorAsync(HttpContext http, IngestException error)
    {
        if (error.StatusCode >= 500 && error.RetryAfter is null)
        {
            logger.LogError(error, "Ingest failed: {Detail}", error.Detail);
        }
        else
        {
            logger.LogDebug("Ingest rejected with {Status}: {Detail}", error.StatusCode, error.Detail);
        }

        if (http.Response.HasStarted)
        {
            return;
        }

        var body = IngestErrorBody.ToUtf8Bytes(error);
        http.Response.StatusCode = error.StatusCode;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-sentry-error"] = error.Detail;
        if (error.RetryAfter is { } retryAfter)
        {
            http.Response.Headers.RetryAfter = ((long)retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        http.Response.ContentLength = body.Length;
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }
}
