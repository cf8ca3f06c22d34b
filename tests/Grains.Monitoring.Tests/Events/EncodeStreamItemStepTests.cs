using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Events;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Pipeline.Steps;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;

namespace Grains.Monitoring.Tests.Events;

/// <summary>
/// The encode step writes into buffers reused per thread: its items must be byte for byte what encoding with fresh
/// buffers gives (<see cref="IngestedEvent.Encode(EventFacts, ReadOnlySpan{byte})"/>), whatever the thread encoded before.
/// </summary>
public sealed class EncodeStreamItemStepTests
{
    private static readonly DateTimeOffset Created = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly ResolvedKey Key = new(
        new ProjectKeyRecord { ProjectId = 1, Name = "Default", PublicKey = new string('a', 32), SecretKey = new string('b', 32), DateCreated = Created },
        new ProjectRecord { Id = 1, OrganizationId = 1, Slug = "web", Name = "Web", Platform = "javascript", DateCreated = Created },
        GroupingConfig.Default);

    public static TheoryData<string> Sequences => new()
    {
        "small,small",
        "small,large,small",
        "large,large",
        "escaped,small,escaped",
        "large,escaped,small",
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public async Task Items_are_what_fresh_buffers_give_whatever_came_before(string sequence)
    {
        var step = new EncodeStreamItemStep();
        foreach (var kind in sequence.Split(','))
        {
            var (facts, json) = Event(kind);
            var context = new EventContext(Key, default, new NormalizationContext(Created)) { Event = json, Facts = facts };

            await step.RunAsync(context, CancellationToken.None);

            Assert.Equal(Reference(facts, json), context.StreamPayload);
            var (decoded, _, compressed) = IngestedEvent.Decode(context.StreamPayload);
            Assert.Equal(JsonSerializer.Serialize(facts, MonitoringJson.Options), JsonSerializer.Serialize(decoded, MonitoringJson.Options));
            Assert.Equal(json.ToJsonString(), Encoding.UTF8.GetString(Assert.NotNull(compressed).Decompress()));
        }
    }

    // The step as it was: fresh buffers, the facts through SerializeToUtf8Bytes.
    private static byte[] Reference(EventFacts facts, JsonObject json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = EventDepth.Max }))
        {
            json.WriteTo(writer);
        }

        return IngestedEvent.Encode(facts, buffer.WrittenSpan);
    }

    private static (EventFacts Facts, JsonObject Json) Event(string kind)
    {
        var text = kind switch
        {
            "small" => "tiny",
            "escaped" => "\"quoted\" <html> & é ☃ \u0001 \U0001F600",
            // Above the largest buffer a thread keeps, so the next event starts from a new one.
            "large" => new string('x', EncodeStreamItemStep.MaxRetainedBuffer + 1000),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var facts = new EventFacts
        {
            ProjectId = 1,
            EventId = new string('c', 32),
            Timestamp = Created,
            Received = Created,
            Hashes = ["0123456789abcdef0123456789abcdef"],
            GroupingConfigId = "newstyle:2023-01-11",
            Title = kind == "escaped" ? text : "Error: " + kind,
            Tags = [new("level", "error"), new("note", kind == "escaped" ? text : kind)],
        };
        var json = new JsonObject
        {
            ["event_id"] = new string('c', 32),
            ["message"] = text,
            ["extra"] = new JsonObject { ["n"] = 1.5, ["list"] = new JsonArray(1, "two", null, true) },
        };
        return (facts, json);
    }
}
