using System.Text.Json.Nodes;

namespace Grains.AppHost.Tests.Support;

/// <summary>
/// The Aspire dashboard's telemetry HTTP API (<c>/api/telemetry/...</c>, OTLP JSON), authenticated with
/// the API key the AppHost gives the dashboard (<c>AppHost:DashboardApiKey</c>, sent as <c>x-api-key</c>).
/// </summary>
internal sealed class DashboardTelemetry(Uri dashboard, string apiKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = dashboard, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>
    /// The spans of one trace the dashboard holds (empty while it holds none). The server span of
    /// <paramref name="sent"/> (the client span the test sent as <c>traceparent</c>) gets its method.
    /// </summary>
    public async Task<IReadOnlyList<TelemetrySpan>> TraceAsync(string traceId, SentRequest sent)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/telemetry/traces/{traceId}");
        request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            // The 13.6.5 dashboard's SQLite store answers 500 now and then while it writes; the caller polls.
            throw new HttpRequestException($"GET /api/telemetry/traces/{traceId} answered {(int)response.StatusCode}: {body[..Math.Min(body.Length, 300)]}");
        }

        return Parse(JsonNode.Parse(body)!["data"]!)
            .Select(span => span.Kind == TelemetrySpan.ServerKind && span.ParentSpanId == sent.SpanId ? span with { RequestMethod = sent.Method } : span)
            .ToList();
    }

    /// <summary>
    /// Polls until trace <paramref name="traceId"/> holds a span for every name of <paramref name="expected"/>
    /// (<see cref="TelemetrySpan.Matches"/>); returns all its spans.
    /// </summary>
    public async Task<IReadOnlyList<TelemetrySpan>> WaitForTraceAsync(string traceId, SentRequest request, IReadOnlyList<string> expected, TimeSpan timeout)
    {
        IReadOnlyList<TelemetrySpan> last = [];
        try
        {
            return await Poll.UntilAsync(
                $"trace {traceId} with spans [{string.Join(", ", expected)}] in the dashboard",
                timeout,
                async () =>
                {
                    last = await TraceAsync(traceId, request);
                    return expected.All(name => last.Any(span => span.Matches(name))) ? last : null;
                },
                TimeSpan.FromSeconds(1));
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"{exception.Message} Spans seen: [{string.Join("; ", last.Select(s => s.ToString()))}]. Resources with telemetry: {await ResourcesAsync()}", exception);
        }
    }

    /// <summary>The resources the dashboard holds telemetry of, as it answers (for a failure's message).</summary>
    public async Task<string> ResourcesAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/telemetry/resources");
        request.Headers.TryAddWithoutValidation("x-api-key", apiKey);
        try
        {
            using var response = await _http.SendAsync(request);
            return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return exception.Message;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>A request the test sent in a trace of its own: the client span id it sent as parent, and the method.</summary>
    public sealed record SentRequest(string SpanId, string Method);

    private static List<TelemetrySpan> Parse(JsonNode data)
    {
        var spans = new List<TelemetrySpan>();
        foreach (var resourceSpans in data["resourceSpans"]?.AsArray() ?? [])
        {
            var service = resourceSpans!["resource"]?["attributes"]?.AsArray()
                .FirstOrDefault(a => a!["key"]!.GetValue<string>() == "service.name")?["value"]?["stringValue"]?.GetValue<string>() ?? "";
            foreach (var scopeSpans in resourceSpans["scopeSpans"]?.AsArray() ?? [])
            {
                var scope = scopeSpans!["scope"]?["name"]?.GetValue<string>() ?? "";
                foreach (var span in scopeSpans["spans"]?.AsArray() ?? [])
                {
                    spans.Add(new TelemetrySpan(
                        span!["name"]!.GetValue<string>(),
                        scope,
                        service,
                        span["kind"]?.GetValue<int>() ?? 0,
                        span["spanId"]?.GetValue<string>() ?? "",
                        span["parentSpanId"]?.GetValue<string>(),
                        StringAttributes(span["attributes"])));
                }
            }
        }

        return spans;
    }

    private static Dictionary<string, string> StringAttributes(JsonNode? attributes) =>
        (attributes?.AsArray() ?? [])
            .Where(a => a?["value"]?["stringValue"] is not null)
            .GroupBy(a => a!["key"]!.GetValue<string>())
            .ToDictionary(g => g.Key, g => g.First()!["value"]!["stringValue"]!.GetValue<string>());
}
