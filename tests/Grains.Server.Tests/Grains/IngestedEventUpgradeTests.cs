using System.Buffers.Binary;
using System.Net;
using System.Text;
using System.Text.Json;
using Grains.Monitoring;
using Grains.Monitoring.Events;
using Grains.Server.Tests.Ingest;
using Grains.Streaming;
using Grains.Streaming.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Grains;

/// <summary>
/// Stream items in the layout written before the edge compressed events (a server upgraded with events
/// in its log) are still applied and stored; a truncated current item is set aside, not retried forever.
/// </summary>
public sealed class IngestedEventUpgradeTests(IngestServer server) : IClassFixture<IngestServer>
{
    [Fact]
    public async Task An_item_in_the_old_layout_is_applied_and_its_event_stored_with_the_same_json()
    {
        await PostAsync("old-layout");
        var issue = await server.WaitForIssueAsync("old-layout");
        var first = Assert.Single((await server.Events.ListByIssueAsync(issue.Id, 10, null)).Events);

        // The same issue's facts with another event id, and that event's JSON, in the version 1 layout.
        var eventId = Guid.NewGuid().ToString("N");
        var json = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(first.Json.Span).Replace(first.EventId, eventId, StringComparison.Ordinal));
        var facts = new EventFacts
        {
            ProjectId = server.ProjectId,
            EventId = eventId,
            Timestamp = first.Timestamp.AddSeconds(1),
            Received = first.Received.AddSeconds(1),
            Hashes = [],
            GroupingConfigId = "newstyle:2023-01-11",
            Title = issue.Title,
            Tags = [],
        };
        var factsJson = JsonSerializer.SerializeToUtf8Bytes(facts, MonitoringJson.Options);
        var item = new byte[4 + factsJson.Length + json.Length];
        BinaryPrimitives.WriteInt32LittleEndian(item, factsJson.Length);
        factsJson.CopyTo(item, 4);
        json.CopyTo(item, 4 + factsJson.Length);
        await AppendAsync(issue.GrainKey, item);

        await server.WaitForIssueAsync("old-layout", i => i.TimesSeen == 2, timeoutMs: 15_000);
        var stored = await server.Events.GetAsync(server.ProjectId, eventId);
        Assert.NotNull(stored);
        Assert.Equal(json, stored.Json.ToArray());
        Assert.Equal(issue.Id, stored.IssueId);
    }

    [Fact]
    public async Task A_truncated_item_in_the_current_layout_is_set_aside_and_the_issue_goes_on()
    {
        await PostAsync("truncated-item");
        var issue = await server.WaitForIssueAsync("truncated-item");
        var first = Assert.Single((await server.Events.ListByIssueAsync(issue.Id, 10, null)).Events);

        var facts = new EventFacts
        {
            ProjectId = server.ProjectId,
            EventId = Guid.NewGuid().ToString("N"),
            Timestamp = first.Timestamp,
            Received = first.Received,
            Hashes = [],
            GroupingConfigId = "newstyle:2023-01-11",
            Title = issue.Title,
            Tags = [],
        };
        var whole = IngestedEvent.Encode(facts, first.Json.Span);
        var truncated = whole[..^7];
        await AppendAsync(issue.GrainKey, truncated);
        await PostAsync("truncated-item");

        await server.WaitForIssueAsync("truncated-item", i => i.TimesSeen == 2, timeoutMs: 15_000);
        var deadLetters = server.Services.GetRequiredService<SqliteDeadLetterStore>();
        var letter = Assert.Single(await deadLetters.ReadAsync(IngestStream.ProviderName, 0, 100), l => l.Stream.GetKeyAsString() == issue.GrainKey);
        Assert.Equal(truncated, letter.Payload);
        Assert.Contains(nameof(InvalidDataException), letter.Error, StringComparison.Ordinal);
        Assert.Null(await server.Events.GetAsync(server.ProjectId, facts.EventId));
    }

    private async Task AppendAsync(string grainKey, byte[] item)
    {
        var producer = server.Services.GetRequiredKeyedService<DurableLogStreamProducer>(IngestStream.ProviderName);
        await producer.AppendAsync([new DurableLogMessage(IngestStream.For(grainKey), item)]);
    }

    private async Task PostAsync(string fingerprint)
    {
        var body = $$"""{"event_id":"{{Guid.NewGuid():N}}","platform":"node","level":"error","message":"{{fingerprint}}","fingerprint":["{{fingerprint}}"]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/api/{server.ProjectId}/store/") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Sentry-Auth", server.AuthHeader());
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
