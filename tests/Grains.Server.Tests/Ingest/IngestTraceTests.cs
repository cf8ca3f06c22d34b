using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Pipeline;
using Grains.Streaming;
using Xunit.Abstractions;

namespace Grains.Server.Tests.Ingest;

/// <summary>
/// One SDK request is one trace: the HTTP request, the pipeline, the durable append, the issue grain's
/// processing of the delivered event and its store writes share a trace id, each span's parent in the trace.
/// </summary>
public sealed class IngestTraceTests : IClassFixture<IngestServer>, IDisposable
{
    private readonly IngestServer _server;
    private readonly ITestOutputHelper _output;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public IngestTraceTests(IngestServer server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Grains.", StringComparison.Ordinal)
                || source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal)
                || source.Name is "Microsoft.AspNetCore" or "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task An_ingested_event_is_one_trace_from_the_http_request_through_the_log_to_the_issue_stores()
    {
        var eventId = Envelopes.NewEventId();
        var title = "traced " + eventId[..8];

        // The SDK's side of the request: its context reaches the server in the traceparent header.
        using var sdk = new Activity("sdk request");
        sdk.SetIdFormat(ActivityIdFormat.W3C);
        sdk.ActivityTraceFlags = ActivityTraceFlags.Recorded;
        sdk.Start();
        var request = new HttpRequestMessage(HttpMethod.Post, $"{_server.Url}/api/{_server.ProjectId}/envelope/")
        {
            Content = new ByteArrayContent(Envelopes.EventEnvelope(Envelopes.ErrorEvent(eventId, "TypeError", title))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-sentry-envelope");
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", _server.AuthHeader());
        var response = await _server.Http.SendAsync(request);
        sdk.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        await _server.WaitForIssueAsync(title);

        // Spans are collected when they stop: the server span ends after the response was sent, the
        // apply span after the state write that follows the snapshot.
        var trace = await WaitForTraceAsync(sdk.TraceId, spans =>
            spans.Any(s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server)
            && spans.Any(s => s.OperationName == IssueInstruments.ApplyEvent));

        foreach (var span in trace.OrderBy(s => s.StartTimeUtc))
        {
            _output.WriteLine($"{span.StartTimeUtc:HH:mm:ss.ffffff} {span.Source.Name}/{span.DisplayName} [{span.Kind}] {span.SpanId} <- {span.ParentSpanId} {span.Duration.TotalMilliseconds:F1} ms");
        }

        var server = Assert.Single(trace, s => s.Source.Name == "Microsoft.AspNetCore" && s.Kind == ActivityKind.Server);
        var ingest = Assert.Single(trace, s => s.Source.Name == EventPipeline.InstrumentationName && s.OperationName == "ingest events");
        var append = Assert.Single(trace, s => s.Source.Name == StreamingInstruments.Name && s.OperationName == "durable log append");
        var apply = Assert.Single(trace, s => s.Source.Name == IssueInstruments.Name && s.OperationName == IssueInstruments.ApplyEvent);
        var batchWrite = Assert.Single(trace, s => s.OperationName == "grains.sqlite.issues.commit"); // events and snapshot in one write

        Assert.Equal(ActivityKind.Producer, append.Kind);
        Assert.Equal(ActivityKind.Consumer, apply.Kind);
        Assert.Equal(append.SpanId, apply.ParentSpanId);
        Assert.Equal(apply.SpanId, batchWrite.ParentSpanId);
        Assert.Contains(ingest, Ancestors(append, trace));
        Assert.Contains(server, Ancestors(ingest, trace));

        // Connected: every span of the trace hangs under another one of it, up to the SDK's.
        var ids = trace.Select(s => s.SpanId).Append(sdk.SpanId).ToHashSet();
        Assert.All(trace, s => Assert.True(ids.Contains(s.ParentSpanId), $"{s.Source.Name} '{s.DisplayName}' has a parent outside the trace"));
    }

    private async Task<List<Activity>> WaitForTraceAsync(ActivityTraceId traceId, Func<List<Activity>, bool> complete)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var spans = _stopped.Where(s => s.TraceId == traceId).ToList();
            if (complete(spans))
            {
                return spans;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The trace did not complete within 10 s; spans: {string.Join(", ", spans.Select(s => $"{s.Source.Name}/{s.DisplayName}"))}");
            }

            await Task.Delay(20);
        }
    }

    private static IEnumerable<Activity> Ancestors(Activity span, List<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            yield return parent;
        }
    }
}
